namespace Targets.Llvm;

/// <summary>
/// What a PTX module is generated for: the SM architecture and the PTX ISA version. The ISA
/// version must be at least the architecture's minimum (a driver rejects too-new ISAs with
/// CUDA_ERROR_UNSUPPORTED_PTX_VERSION, so callers cap it by the driver's version).
/// </summary>
public sealed record PtxOptions
{
    /// <summary>Compute capability as an integer: 70 for sm_70.</summary>
    public int Sm { get; init; } = 70;

    /// <summary>PTX ISA version times ten: 78 for PTX 7.8. Zero picks the architecture's minimum.</summary>
    public int PtxVersion { get; init; }

    /// <summary>Architectures LLVM 19's NVPTX backend accepts, with the minimum PTX ISA of each.</summary>
    public static IReadOnlyDictionary<int, int> MinimumPtxBySm { get; } = new Dictionary<int, int>
    {
        [30] = 60, [32] = 60, [35] = 60, [37] = 60, [50] = 60, [52] = 60, [53] = 60,
        [60] = 60, [61] = 60, [62] = 60, [70] = 60, [72] = 61, [75] = 63,
        [80] = 70, [86] = 71, [87] = 74, [89] = 78, [90] = 78,
    };

    /// <summary>PTX ISA versions LLVM 19 can emit (its <c>ptxNN</c> features from 6.0 on).</summary>
    public static IReadOnlyList<int> SupportedPtxVersions { get; } =
        [60, 61, 62, 63, 64, 65, 70, 71, 72, 73, 74, 75, 76, 77, 78, 80, 81, 82, 83, 84, 85];

    /// <summary>The ISA that will be emitted: <see cref="PtxVersion"/> or the architecture's minimum.</summary>
    public int EffectivePtxVersion => PtxVersion == 0 ? MinimumPtxBySm.GetValueOrDefault(Sm) : PtxVersion;

    /// <summary>Throws an <see cref="ArgumentException"/> saying what is accepted when the pair is not.</summary>
    public void Validate()
    {
        if (!MinimumPtxBySm.TryGetValue(Sm, out int minimum))
            throw new ArgumentException(
                $"Expected an SM architecture LLVM 19 supports ({string.Join(", ", MinimumPtxBySm.Keys.Select(k => "sm_" + k))}), got sm_{Sm}.",
                nameof(Sm));
        if (PtxVersion != 0 && !SupportedPtxVersions.Contains(PtxVersion))
            throw new ArgumentException(
                $"Expected a PTX ISA version LLVM 19 emits ({string.Join(", ", SupportedPtxVersions.Select(Format))}), got {Format(PtxVersion)}.",
                nameof(PtxVersion));
        if (PtxVersion != 0 && PtxVersion < minimum)
            throw new ArgumentException(
                $"sm_{Sm} needs PTX ISA {Format(minimum)} or newer, got {Format(PtxVersion)}.", nameof(PtxVersion));
    }

    static string Format(int version) => $"{version / 10}.{version % 10}";
}

/// <summary>
/// The NVPTX target machine (<c>nvptx64-nvidia-cuda</c>) for one <see cref="PtxOptions"/>: modules
/// configured and optimised with it, and emitted as PTX text.
/// </summary>
public static class PtxTargetMachine
{
    public const string Triple = "nvptx64-nvidia-cuda";

    /// <summary>Creates the target machine; the options are validated first.</summary>
    public static TargetMachine Create(PtxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return TargetMachine.Create(Triple, $"sm_{options.Sm}", $"+ptx{options.EffectivePtxVersion}");
    }
}
