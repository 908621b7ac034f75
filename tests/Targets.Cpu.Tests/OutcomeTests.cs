
namespace Targets.Cpu.Tests;

/// <summary>The harness's notion of "agree": strict where .NET is, lenient only about NaN payloads.</summary>
public sealed class OutcomeTests
{
    static Outcome Value(object? v, params object?[] args) => new(v, null, args);
    static Outcome Throws(Exception e) => new(null, e, []);

    [Fact]
    public void Any_two_NaNs_agree_but_signed_zeros_do_not()
    {
        Assert.Null(Outcome.Difference(Value(double.NaN), Value(BitConverter.Int64BitsToDouble(-1))));
        Assert.Null(Outcome.Difference(Value(float.NaN), Value(-float.NaN)));
        Assert.NotNull(Outcome.Difference(Value(0.0), Value(-0.0)));
        Assert.NotNull(Outcome.Difference(Value(0f), Value(-0f)));
        Assert.NotNull(Outcome.Difference(Value(1.0), Value(BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(1.0) + 1))));
    }

    [Fact]
    public void Return_types_must_match_exactly()
    {
        Assert.NotNull(Outcome.Difference(Value(1), Value(1L)));
        Assert.NotNull(Outcome.Difference(Value((nint)1), Value(1L)));
        Assert.NotNull(Outcome.Difference(Value('a'), Value((ushort)'a')));
        Assert.NotNull(Outcome.Difference(Value(null), Value(0)));
    }

    [Fact]
    public void Exceptions_agree_on_type_message_parameter_actual_value_and_inner_type()
    {
        Assert.Null(Outcome.Difference(Throws(new OverflowException("m")), Throws(new OverflowException("m"))));
        Assert.NotNull(Outcome.Difference(Throws(new OverflowException("m")), Throws(new ArithmeticException("m"))));
        Assert.NotNull(Outcome.Difference(Throws(new OverflowException("m")), Throws(new OverflowException("n"))));
        Assert.NotNull(Outcome.Difference(Throws(new OverflowException("m")), Value(0)));
        // The message includes the parameter name and actual value, so build pairs whose messages agree.
        Assert.Null(Outcome.Difference(Throws(new ArgumentOutOfRangeException("p", 1, "m")), Throws(new ArgumentOutOfRangeException("p", 1, "m"))));
        Assert.Null(Outcome.Difference(Throws(new SameMessage("p", 1)), Throws(new SameMessage("p", 1))));
        Assert.NotNull(Outcome.Difference(Throws(new SameMessage("p", 1)), Throws(new SameMessage("q", 1))));
        Assert.NotNull(Outcome.Difference(Throws(new SameMessage("p", 1)), Throws(new SameMessage("p", 1L))));
        Assert.NotNull(Outcome.Difference(Throws(new InvalidOperationException("m", new ArithmeticException())), Throws(new InvalidOperationException("m"))));
    }

    /// <summary>An ArgumentOutOfRangeException whose message leaves out the parameter and value, to compare those alone.</summary>
    sealed class SameMessage(string parameter, object actual) : ArgumentOutOfRangeException(parameter, actual, "m")
    {
        public override string Message => "m";
    }

    [Fact]
    public void Array_arguments_and_results_are_compared_element_by_element()
    {
        Assert.Null(Outcome.Difference(Value(null, new[] { 1, 2 }), Value(null, new[] { 1, 2 })));
        Assert.NotNull(Outcome.Difference(Value(null, new[] { 1, 2 }), Value(null, new[] { 1, 3 })));
        Assert.NotNull(Outcome.Difference(Value(new double[] { 0.0 }), Value(new double[] { -0.0 })));
        Assert.NotNull(Outcome.Difference(Value(new int[2, 3]), Value(new int[3, 2])));
        Assert.NotNull(Outcome.Difference(Value(new int[] { 1 }), Value(new long[] { 1 })));
    }

    [Fact]
    public void Cloned_arguments_share_no_array()
    {
        var a = new[] { 1, 2, 3 };
        object?[] clone = Inputs.Clone([a, 5]);
        ((int[])clone[0]!)[0] = 99;
        Assert.Equal(1, a[0]);
        Assert.Equal(5, clone[1]);
    }
}
