namespace Targets.Fuzz;

/// <summary>
/// SIMD vectors as .NET users write them, written into the program's int arrays and <c>ad</c>: <c>Vector128</c> and
/// <c>Vector256</c> of ints, longs, floats and doubles made from values and from the arrays (from a start that may leave
/// too few lanes, which raises), the operators, Min/Max/Abs/Sqrt, shifts by any count, masks and ConditionalSelect, the
/// All/Any comparisons, a lane read past the last (which raises), integer division lane by lane (by zero, MinValue / -1),
/// Sum and Dot, and a <c>Vector&lt;int&gt;</c> loop over an array with a scalar tail. Every choice to make one is drawn
/// from <see cref="simd"/>, apart from the rest of the generator, so a program without vectors is the one its seed made
/// before they existed.
/// </summary>
internal sealed partial class Generator
{
    readonly Random simd;

    /// <summary>Half the programs have vector statements.</summary>
    readonly bool withSimd;

    bool SimdStatementDue => withSimd && hasArrays && !safe && !device && simd.Next(12) == 0;

    const string V128 = "System.Runtime.Intrinsics.Vector128", V256 = "System.Runtime.Intrinsics.Vector256", Vn = "System.Numerics.Vector";

    Stmt SimdStatement()
    {
        (string array, int length) = intArrays[simd.Next(intArrays.Count)];
        Expr Int() => Expression(Ty.Int, 2);
        Expr Small(int mask) => Make(Ty.Int, $"(({{0}}) & {mask})", Expression(Ty.Int, 2));
        int form = simd.Next(9);
        int n = names;
        if (form == 8)
            names += 2;
        return form switch
        {
            0 => new Stmt($"{array}[{{0}}] = {V128}.Sum({V128}.Create({{1}}, {{2}}, {{3}}, -7) * {V128}.Create({{4}}) + {V128}.Create({array}, {{5}}));",
                [Index(length), Int(), Int(), Int(), Int(), Small(7)]),
            1 => new Stmt($"{array}[{{0}}] = {V256}.Sum({V256}.Max({V256}.Create({{1}}), {V256}.Abs({V256}.Create({{2}}, 1, 2, 3, 4, 5, 6, int.MinValue))) - {V256}.Min({V256}.Create({{3}}), {V256}<int>.AllBitsSet));",
                [Index(length), Int(), Int(), Int()]),
            2 => new Stmt($"{array}[{{0}}] = {V128}.Sum(({V128}.Create({{1}}) << {{2}}) ^ ({V128}.Create({{3}}, -1, 5, 9) >> {{4}}) ^ {V128}.AsInt32({V128}.Create(unchecked((uint)({{1}}))) >>> {{3}}));",
                [Index(length), Int(), Int(), Int(), Int()]),
            3 => new Stmt($"ad[{{0}}] = {V256}.Sum({V256}.Create(ad[0], ad[1], {{1}}, -0.0) * {V256}.Create({{2}}) + {V256}.Sqrt({V256}.Abs({V256}.Create({{3}}))) + {V256}.Min({V256}.Create(ad[2]), {V256}.Create({{1}})));",
                [Index(8), Expression(Ty.Double, 2), Expression(Ty.Double, 2), Expression(Ty.Double, 2)]),
            4 => new Stmt($"{array}[{{0}}] = {V128}.Sum({V128}.ConditionalSelect({V128}.GreaterThan({V128}.Create({{1}}, {{2}}, 0, -1), {V128}.Create({{3}})), {V128}.Create({{2}}), {V128}<int>.AllBitsSet))"
                + $" + ({V128}.EqualsAny({V128}.Create({{1}}, 1, 2, 3), {V128}.Create({{3}})) ? 10 : 0) + ({V128}.LessThanAll({V128}.Create({{2}}), {V128}.Create({{1}})) ? 100 : 0);",
                [Index(length), Int(), Int(), Int()]),
            5 => new Stmt($"{array}[{{0}}] = {V128}.Create({{1}}, {{2}}, 3, 4)[{{3}}] + {V128}.GetElement({V128}.WithElement({V128}.Create({{1}}), {{4}}, 9), 3);", [Index(length), Int(), Int(), Small(7), Small(3)]),
            6 => new Stmt($"{array}[{{0}}] = {V128}.Sum({V128}.Create({{1}}, {{2}}, 1, int.MinValue) / {V128}.Create({{3}}, 3, {{4}}, -1));", [Index(length), Int(), Int(), Small(3), Int()]),
            7 => new Stmt($"{array}[{{0}}] = (int){V128}.Dot({V128}.Create((float)({{1}}), (float)({{2}}), 0.5f, float.NaN) * {V128}.Create(1f, -2f, 0f, 0f), {V128}.Max({V128}.Create((float)({{3}})), {V128}<float>.Zero));",
                [Index(length), Int(), Int(), Int()]),
            // A Vector<int> loop over the array, a lane count as .NET has it, and a scalar tail.
            _ => new Stmt($"{{{{ var s{n} = {Vn}<int>.Zero; int k{n} = 0; for (; k{n} <= {array}.Length - {Vn}<int>.Count; k{n} += {Vn}<int>.Count) s{n} += new {Vn}<int>({array}, k{n}) * {Vn}.Max(new {Vn}<int>({{1}}), {Vn}<int>.One); "
                + $"int t{n} = {Vn}.Sum(s{n}); for (; k{n} < {array}.Length; k{n}++) t{n} += {array}[k{n}]; {array}[{{0}}] = t{n}; }}}}", [Index(length), Small(3)]),
        };
    }
}
