using System.Reflection;
using Targets.Frontend.Il;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Tests;

public sealed class FrontendTests
{
    static MethodInfo M(string name) => typeof(Samples).GetMethod(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!;

    static IrModule Import(string name) => FrontendCompiler.Compile(M(name), CompileOptions.Default, ScalarTypes.Instance, Passes.Pipeline.Frontend);

    /// <summary>The line of Samples.cs carrying <paramref name="marker"/>. The source is embedded: CI builds map source paths to /_/.</summary>
    static int LineOf(string marker)
    {
        using Stream source = typeof(FrontendTests).Assembly.GetManifestResourceStream("Samples.cs")!;
        using var reader = new StreamReader(source);
        return reader.ReadToEnd().Split('\n').ToList().FindIndex(l => l.Contains(marker, StringComparison.Ordinal)) + 1;
    }

    [Fact]
    public void Add_imports_to_slots_and_an_add()
    {
        string text = Import(nameof(Samples.Add)).ToString();
        Assert.Contains("function Targets.Frontend.Tests.Samples.Add(i32, i32) -> i32", text);
        Assert.Contains("= add ", text);
        Assert.Contains("return ", text);
        Assert.Contains("Samples.cs:", text); // locations come from the PDB
    }

    [Fact]
    public void Printing_is_deterministic()
    {
        Assert.Equal(Import(nameof(Samples.Pick)).ToString(), Import(nameof(Samples.Pick)).ToString());
    }

    [Fact]
    public void Ternary_leaves_a_value_on_the_stack_that_becomes_a_block_parameter()
    {
        IrModule module = Import(nameof(Samples.Pick));
        // a + (c ? b : 2) joins with a and the chosen value on the stack.
        Assert.Contains(module.Entry.Blocks, b => b.Parameters.Count == 2);
    }

    [Theory]
    [InlineData(nameof(Samples.Concat), "return", CompilationErrorKind.UnsupportedConstruct)]
    [InlineData(nameof(Samples.Boxing), "box", CompilationErrorKind.UnsupportedConstruct)]
    [InlineData(nameof(Samples.Virtual), "callvirt", CompilationErrorKind.UnsupportedCall)]
    [InlineData(nameof(Samples.CatchOfAnotherType), "catch", CompilationErrorKind.UnsupportedConstruct)]
    [InlineData(nameof(Samples.StaticField), "static field", CompilationErrorKind.UnsupportedConstruct)]
    [InlineData(nameof(Samples.Lambda), "lambda", CompilationErrorKind.UnsupportedConstruct)]
    public void Unsupported_constructs_name_the_method_and_line(string method, string marker, CompilationErrorKind kind)
    {
        var error = Assert.Throws<CompilationException>(() => Import(method));
        Assert.Equal(kind, error.Kind);
        Assert.Equal($"Samples.{method}", error.MethodName);
        if (error.IlOffset >= 0)
        {
            Assert.Equal(LineOf("// <- unsupported " + marker), error.SourceLine);
            Assert.EndsWith("Samples.cs", error.SourceFile);
            Assert.Contains($"Samples.cs:{error.SourceLine}", error.Message);
        }
    }

    [Fact]
    public void Errors_in_callees_name_the_callee()
    {
        var error = Assert.Throws<CompilationException>(() => Import(nameof(Samples.CallsUnsupported)));
        Assert.Equal("Samples.Boxing", error.MethodName);
    }

    [Fact]
    public void Class_parameters_are_unsupported_types()
    {
        var error = Assert.Throws<CompilationException>(() => Import(nameof(Samples.Instance)));
        Assert.Equal(CompilationErrorKind.UnsupportedType, error.Kind);
        Assert.Contains("parameter 's'", error.Message);
    }

    [Fact]
    public void Truncated_il_is_reported_not_read_past()
    {
        byte[] il = [0x20, 0x01]; // ldc.i4 with 1 of its 4 operand bytes
        var error = Assert.Throws<InvalidDataException>(() => IlDecoder.Decode(il, (offset, message) => new InvalidDataException($"{offset}: {message}")));
        Assert.Contains("past the end", error.Message);
    }

    [Fact]
    public void Unknown_opcodes_are_reported()
    {
        byte[] il = [0xa6]; // unassigned one-byte opcode
        Assert.Throws<InvalidDataException>(() => IlDecoder.Decode(il, (offset, message) => new InvalidDataException(message)));
    }

    [Fact]
    public void Verifier_rejects_a_block_without_terminator()
    {
        IrModule module = Import(nameof(Samples.Add));
        IrBlock last = module.Entry.Blocks[^1];
        last.Instructions.RemoveAt(last.Instructions.Count - 1);
        var error = Assert.Throws<InvalidOperationException>(() => IrVerifier.Verify(module));
        Assert.Contains("does not end in a terminator", error.Message);
    }

    [Fact]
    public void Verifier_rejects_wrong_branch_arity()
    {
        IrModule module = Import(nameof(Samples.Pick));
        IrBlock withParameter = module.Entry.Blocks.First(b => b.Parameters.Count == 2);
        Instruction jump = module.Entry.Blocks.SelectMany(b => b.Instructions)
            .First(i => i.Targets.Any(t => t.Block == withParameter.Id && t.Arguments.Length == 2));
        var broken = new Instruction(jump.Op, jump.Type, jump.Result, jump.Operands, jump.Location)
        {
            Targets = jump.Targets.Select(t => t.Block == withParameter.Id ? t with { Arguments = [] } : t).ToArray(),
        };
        IrBlock owner = module.Entry.Blocks.First(b => b.Instructions.Contains(jump));
        owner.Instructions[owner.Instructions.IndexOf(jump)] = broken;
        var error = Assert.Throws<InvalidOperationException>(() => IrVerifier.Verify(module));
        Assert.Contains("passes 0 arguments", error.Message);
    }
}
