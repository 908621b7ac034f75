using Targets.Frontend.Ir;

namespace Targets.Cpu.Tests;

#pragma warning disable CA1051 // jit classes are made of public fields

[JitClass]
public sealed class Account
{
    public long Balance;

    public Account(long balance) => Balance = balance;

    public long Withdraw(long amount)
    {
        if (amount > Balance)
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "more than the balance");
        Balance -= amount;
        return Balance;
    }
}

/// <summary>A user exception with five runtime values: more than a raise carries.</summary>
public sealed class FiveValuesException(int a, int b, int c, int d, int e) : Exception($"{a}{b}{c}{d}{e}");

/// <summary>A public exception whose only constructor with arguments is internal.</summary>
public sealed class HiddenConstructorException : Exception
{
    public HiddenConstructorException() { }

    internal HiddenConstructorException(int code) : base($"code {code}") { }
}

/// <summary>A public exception taking any object: compiled code may pass it constants and scalars, not an array.</summary>
public sealed class PayloadException(object payload) : Exception(payload.ToString());

/// <summary>A user exception whose message its constructor composes from runtime values.</summary>
public sealed class CodeException(string message, int code, double weight) : Exception($"{message}: {code} {weight}")
{
    public int Code { get; } = code;
}

public static class ThrowingCode
{
    public static long Doubled(long v)
    {
        long doubled = v * 2;
        if (doubled > 1000)
            throw new ArgumentOutOfRangeException(nameof(v), doubled, "doubled past 1000");
        return doubled;
    }

    public static int FirstNegative(int[] a)
    {
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] < 0)
                throw new ArgumentOutOfRangeException(nameof(a), a[i], "negative element");
        }
        return a.Length;
    }

    public static int Coded(int code, double weight) => code > 100 ? throw new CodeException("too large", code, weight) : code;
}

public static class RefusedThrows
{
    public static int TooManyValues(int x) => x > 0 ? throw new FiveValuesException(x, x, x, x, x) : x;

    public static int InternalConstructor(int x) => x > 0 ? throw new HiddenConstructorException(x) : x;

    public static int ArrayArgument(int[] a) => a.Length > 0 ? throw new PayloadException(a) : 0;
}

/// <summary>
/// Exceptions with arguments are constructed on the host with the values compiled code computed:
/// ParamName, ActualValue and Message are .NET's own (the corpus compares every shape; these check
/// the properties by name, a jit-class method, and the refusals).
/// </summary>
public sealed class ExceptionArgumentTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    [Fact]
    public void Actual_value_and_parameter_name_are_net_s()
    {
        var f = Cpu.Compile(ThrowingCode.Doubled).AsDelegate<Func<long, long>>();
        var expected = Assert.Throws<ArgumentOutOfRangeException>(() => ThrowingCode.Doubled(600));
        var actual = Assert.Throws<ArgumentOutOfRangeException>(() => f(600));
        Assert.Equal("v", actual.ParamName);
        Assert.Equal(1200L, actual.ActualValue);
        Assert.Equal(expected.Message, actual.Message);
        Assert.Equal(400L, f(200));
    }

    [Fact]
    public void One_throw_site_carries_each_value_it_is_reached_with()
    {
        var f = Cpu.Compile(ThrowingCode.FirstNegative).AsDelegate<Func<int[], int>>();
        Assert.Equal(-3, Assert.Throws<ArgumentOutOfRangeException>(() => f([1, -3, -4])).ActualValue);
        Assert.Equal(-7, Assert.Throws<ArgumentOutOfRangeException>(() => f([-7])).ActualValue);
    }

    [Fact]
    public void A_user_exception_gets_its_runtime_values()
    {
        var f = Cpu.Compile(ThrowingCode.Coded).AsDelegate<Func<int, double, int>>();
        var actual = Assert.Throws<CodeException>(() => f(102, 0.25));
        Assert.Equal(102, actual.Code);
        Assert.Equal(Assert.Throws<CodeException>(() => ThrowingCode.Coded(102, 0.25)).Message, actual.Message);
    }

    [Fact]
    public void A_jit_class_method_throws_with_arguments_through_its_box()
    {
        using JitObject account = Cpu.New(JitClass.Define<Account>(), 100L);
        Assert.Equal(60L, account.Invoke("Withdraw", 40L));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => account.Invoke("Withdraw", 61L));
        Assert.Equal(("amount", 61L), (e.ParamName, e.ActualValue));
        Assert.Equal(60L, account.Get<long>("Balance"));
    }

    [Theory]
    [InlineData(nameof(RefusedThrows.TooManyValues), "at most 4 runtime values")]
    [InlineData(nameof(RefusedThrows.InternalConstructor), "public constructors")]
    [InlineData(nameof(RefusedThrows.ArrayArgument), "argument 'payload' of new PayloadException(Object)")]
    public void A_throw_that_cannot_be_constructed_on_the_host_is_refused_naming_the_constructor(string name, string expected)
    {
        var method = typeof(RefusedThrows).GetMethod(name)!;
        var e = Assert.Throws<CompilationException>(() => Cpu.Compile(method));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("ExceptionArgumentTests.cs:", e.Message, StringComparison.Ordinal);
    }

    /// <summary>These descriptors carry no string values: reading one would be a bug.</summary>
    static string NoText(nint descriptor) => throw new InvalidOperationException($"no string value expected (descriptor {descriptor})");

    [Theory]
    [InlineData("")]
    [InlineData("not a descriptor")]
    [InlineData("00000000000000000000000000000000:06000001")]
    [InlineData("00000000000000000000000000000000:zz;s5:ab")]
    public void A_malformed_or_foreign_descriptor_gives_null_never_a_crash(string descriptor) =>
        Assert.Null(ExceptionConstructor.Create(descriptor, [0, 0, 0, 0], NoText));

    [Fact]
    public void A_truncated_descriptor_of_a_real_constructor_gives_null()
    {
        var ctor = typeof(ArgumentOutOfRangeException).GetConstructor([typeof(string), typeof(object), typeof(string)])!;
        string descriptor = new ExceptionConstructor(ctor, [new("p"), ExceptionArgument.Runtime(0, typeof(int)), new("message")]).Descriptor;
        Assert.Equal(5, Assert.IsType<ArgumentOutOfRangeException>(ExceptionConstructor.Create(descriptor, [5, 0, 0, 0], NoText)).ActualValue);
        Assert.Null(ExceptionConstructor.Create(descriptor[..^3], [5, 0, 0, 0], NoText));
        Assert.Null(ExceptionConstructor.Create(descriptor.Replace(";v0:", ";v9:", StringComparison.Ordinal), [5, 0, 0, 0], NoText));
    }
}
