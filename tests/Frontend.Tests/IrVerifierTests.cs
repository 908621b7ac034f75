using Targets.Frontend.Ir;

namespace Targets.Frontend.Tests;

/// <summary>
/// The verifier refuses IR that breaks each kind of rule: one hand-written function per rule kind,
/// read by <see cref="IrParser"/> (which verifies what it reads), beside the well-formed function
/// it was changed from. Each refusal names the rule broken.
/// </summary>
public sealed class IrVerifierTests
{
    /// <summary>A well-formed function every case below breaks in one place: <c>int F(int[] a, int x)</c>.</summary>
    const string Valid = """
        function F(i32[], i32) -> i32
          slots: s0:i32[] s1:i32 s2:f64
        block0(v0: i32[], v1: i32):
          store_slot s0, v0                                ; IL_0000
          store_slot s1, v1                                ; IL_0000
          v2: i32 = load_slot s1                           ; IL_0000
          v3: i32[] = load_slot s0                         ; IL_0000
          v4: i32 = load_element.i32 v3, v2                ; IL_0002
          v5: i32 = add v4, v2                             ; IL_0004
          v6: i32 = const.i32 0                            ; IL_0006
          v7: i32 = compare.gts v5, v6                     ; IL_0006
          branch v7, block1(v5), block2()                  ; IL_0006
        block1(v8: i32):
          return v8                                        ; IL_0008
        block2():
          return v6                                        ; IL_000a


        """;

    static IrModule Parse(string text) => IrParser.Parse(text, ScalarTypes.Instance, _ => null);

    static string Refusal(string replace, string with)
    {
        string broken = Valid.Replace(replace, with, StringComparison.Ordinal);
        Assert.NotEqual(Valid, broken);
        var e = Assert.Throws<InvalidOperationException>(() => Parse(broken));
        Assert.StartsWith("IR verifier: F ", e.Message, StringComparison.Ordinal);
        return e.Message;
    }

    [Fact]
    public void The_unbroken_function_passes() => Assert.Equal(Valid, IrPrinter.Print(Parse(Valid)));

    [Fact]
    public void An_operand_of_the_wrong_type_is_refused() =>
        Assert.Contains("Add: Add of i32[] and i32 to i32", Refusal("add v4, v2", "add v3, v2"));

    [Fact]
    public void A_result_of_the_wrong_type_is_refused() =>
        Assert.Contains("loads i64 from s1 of type i32", Refusal("v2: i32 = load_slot s1", "v2: i64 = load_slot s1"));

    [Fact]
    public void A_store_that_does_not_fit_the_slot_is_refused() =>
        Assert.Contains("stores i32[] into s2 of type f64", Refusal("store_slot s1, v1", "store_slot s2, v0"));

    [Fact]
    public void The_wrong_number_of_operands_is_refused() =>
        Assert.Contains("Neg takes 1 operands, got 2", Refusal("v5: i32 = add v4, v2", "v5: i32 = neg v4, v2"));

    [Fact]
    public void A_missing_immediate_is_refused() =>
        Assert.Contains("names missing slot s9", Refusal("store_slot s1, v1", "store_slot s9, v1"));

    [Fact]
    public void An_element_access_with_the_wrong_element_type_is_refused() =>
        Assert.Contains("LoadElement.f64 on i32[] with 1 indices", Refusal("v4: i32 = load_element.i32 v3, v2", "v4: f64 = load_element.f64 v3, v2"));

    [Fact]
    public void A_use_its_definition_does_not_dominate_is_refused()
    {
        // v8 is defined in block1; block2 is not reached through block1.
        string message = Refusal("""
            block2():
              return v6
            """, """
            block2():
              return v8
            """);
        Assert.Contains("uses v8, whose definition in block1 does not dominate it", message);
    }

    [Fact]
    public void A_use_before_its_definition_in_the_block_is_refused() =>
        Assert.Contains("uses v6, whose definition in block0 does not dominate it", Refusal("v5: i32 = add v4, v2", "v5: i32 = add v4, v6"));

    [Fact]
    public void A_branch_argument_of_the_wrong_type_is_refused() =>
        Assert.Contains("passes i32[] to block1's parameter of type i32", Refusal("branch v7, block1(v5)", "branch v7, block1(v3)"));

    [Fact]
    public void A_return_of_the_wrong_type_is_refused() =>
        Assert.Contains("returns i32[] as i32", Refusal("""
              return v8
            """, """
              return v3
            """));

    [Fact]
    public void A_terminator_inside_a_block_is_refused() =>
        Assert.Contains("terminator Return before the end of the block", Refusal("""
            block1(v8: i32):
              return v8                                        ; IL_0008
            """, """
            block1(v8: i32):
              return v8                                        ; IL_0008
              return v8                                        ; IL_0008
            """));

    [Fact]
    public void A_call_with_the_wrong_arguments_is_refused()
    {
        string text = Valid + """
            function G(f64) -> i32
              slots: s0:f64
            block0(v0: f64):
              v1: i32 = call F(v0, v0)                         ; IL_0000
              return v1                                        ; IL_0005

            """;
        var e = Assert.Throws<InvalidOperationException>(() => Parse(text));
        Assert.Contains("Call: passes f64 for parameter 0 of type i32[]", e.Message);
    }

    [Fact]
    public void Metadata_naming_a_missing_function_is_refused()
    {
        string text = Valid.Replace("  slots: s0:i32[] s1:i32 s2:f64\n", "  slots: s0:i32[] s1:i32 s2:f64\n  parallel: body #7, captures 0, reductions [] at IL_0000\n", StringComparison.Ordinal);
        var e = Assert.Throws<InvalidOperationException>(() => Parse(text));
        Assert.Contains("its parallel loop's body #7 is not a function of the module", e.Message);
    }

    /// <summary><c>try { return a[i]; } catch (IndexOutOfRangeException) { return -1; }</c>: a block with a handler, which catches or raises on.</summary>
    const string Caught = """
        function H(i32[], i32) -> i32
          slots: s0:i32[] s1:i32
        block0(v0: i32[], v1: i32):
          store_slot s0, v0 ; IL_0000
          store_slot s1, v1 ; IL_0000
          jump block1() ; IL_0000
        block1() handler block2:
          v2: i32[] = load_slot s0 ; IL_0001
          v3: i32 = load_slot s1 ; IL_0002
          v4: i32 = load_element.i32 v2, v3 ; IL_0003
          return v4 ; IL_0004
        block2():
          v5: i32 = catches IndexOutOfRangeException ; IL_0006
          branch v5, block3(), block4() ; IL_0006
        block3():
          v6: i32 = const.i32 -1 ; IL_0007
          return v6 ; IL_0008
        block4():
          rethrow ; IL_0006

        """;

    [Fact]
    public void Handlers_catches_and_rethrows_print_and_read_back()
    {
        string printed = IrPrinter.Print(Parse(Caught));
        Assert.Contains("block1() handler block2:", printed, StringComparison.Ordinal);
        Assert.Contains("catches IndexOutOfRangeException", printed, StringComparison.Ordinal);
        Assert.Contains("rethrow", printed, StringComparison.Ordinal);
        Assert.Equal(printed, IrPrinter.Print(Parse(printed)));
        // The handler is an edge: block2 and what follows it are reachable.
        var cfg = new Analysis.ControlFlowGraph(Parse(Caught).Functions[0]);
        Assert.Contains(2, cfg.Successors[1]);
        Assert.Contains(3, cfg.ReversePostorder());
    }

    [Fact]
    public void An_exact_type_test_prints_and_reads_back()
    {
        string exact = Caught.Replace("catches IndexOutOfRangeException", "catches exactly IndexOutOfRangeException", StringComparison.Ordinal);
        IrModule module = Parse(exact);
        Assert.Equal(1, module.Functions[0].Blocks[2].Instructions[0].Constant);
        string printed = IrPrinter.Print(module);
        Assert.Contains("catches exactly IndexOutOfRangeException", printed, StringComparison.Ordinal);
        Assert.Equal(printed, IrPrinter.Print(Parse(printed)));
        Assert.Equal(0, Parse(Caught).Functions[0].Blocks[2].Instructions[0].Constant);
    }

    [Fact]
    public void A_handler_that_takes_parameters_is_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Parse(Caught.Replace("block2():", "block2(v9: i32):", StringComparison.Ordinal)));
        Assert.Contains("its handler block2 is not a block without parameters", e.Message, StringComparison.Ordinal);
    }
}
