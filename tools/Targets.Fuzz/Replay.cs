using System.Text.Json;
using System.Text.Json.Serialization;

namespace Targets.Fuzz;

/// <summary>
/// A program as a child process checks it alone (<c>--replay FILE</c>): its C#, the seed it came
/// from (which picks Debug or Release IL) and its inputs, as JSON. Inputs are read back by the
/// types of the entry's parameters (<see cref="Generator.EntryTypes"/>), NaN and infinities included.
/// </summary>
internal sealed record Replay(string Source, int Seed, List<object?[]> Inputs)
{
    static readonly JsonSerializerOptions Options = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static Replay Of(ProgramModel program) => new(program.Render(), program.Seed, program.Inputs);

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Options));

    public static Replay Read(string path)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = document.RootElement;
        var inputs = new List<object?[]>();
        foreach (JsonElement input in root.GetProperty(nameof(Inputs)).EnumerateArray())
        {
            JsonElement[] values = [.. input.EnumerateArray()];
            if (values.Length != Generator.EntryTypes.Length)
                throw new FormatException($"{path}: an input of {values.Length} values; the entry takes {Generator.EntryTypes.Length}");
            inputs.Add([.. values.Select((v, k) => v.Deserialize(Generator.EntryTypes[k], Options))]);
        }
        return new Replay(root.GetProperty(nameof(Source)).GetString()!, root.GetProperty(nameof(Seed)).GetInt32(), inputs);
    }
}
