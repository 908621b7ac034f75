using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Targets.Cli;

/// <summary>
/// Generated C# for measuring how compile time grows with the code: one method of N statements
/// (a quarter of them <c>for</c> loops over arrays, the rest arithmetic, branches and <c>Math</c>
/// calls), and a call graph of N small methods (each a short loop, a branch and two calls to later
/// methods: a tree from <c>M0</c>). Written as source and compiled by Roslyn (Release) into an
/// assembly of its own, so the compiler under test reads ordinary C# compiler output; the same
/// seed gives the same code.
/// </summary>
internal static class GeneratedWorkloads
{
    /// <summary><c>double Body(double[] a, double[] b)</c> of <paramref name="statements"/> statements.</summary>
    public static MethodInfo Statements(int statements)
    {
        var code = new StringBuilder("using System;\npublic static class Generated {\n public static double Body(double[] a, double[] b) {\n  double x = 1.5, y = 0.25, s = 0;\n");
        for (int n = 0; n < statements; n++)
        {
            double k = 1 + (n % 7) * 0.125;
            string kk = k.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            code.Append((n % 4) switch
            {
                0 => $"  for (int i = 0; i < a.Length; i++) b[i] = b[i] * 0.5 + a[i] * {kk};\n",
                1 => $"  x = x * 0.999 + y * {kk} - s;\n",
                2 => $"  if (x > y) y += x * 0.5; else x -= {kk};\n",
                _ => $"  s = Math.Sqrt(Math.Abs(x - y)) + Math.Min(s, {kk});\n",
            });
        }
        code.Append("  return x + y + s + b[0];\n }\n}\n");
        return Compile(code.ToString(), $"Statements{statements}").GetType("Generated")!.GetMethod("Body")!;
    }

    /// <summary><c>double M0(double[] a, int d)</c>, the root of <paramref name="methods"/> methods <c>M0</c>…: each calls <c>M(2i+1)</c> and <c>M(2i+2)</c> where they exist.</summary>
    public static MethodInfo CallGraph(int methods)
    {
        var code = new StringBuilder("public static class Generated {\n");
        for (int m = 0; m < methods; m++)
        {
            code.Append($" public static double M{m}(double[] a, int d) {{\n  double s = d;\n  for (int i = 0; i < a.Length; i++) s += a[i] * {m % 5 + 1};\n");
            code.Append($"  if (s > {m}) s -= d; else s += 1;\n");
            foreach (int callee in new[] { 2 * m + 1, 2 * m + 2 })
            {
                if (callee < methods)
                    code.Append($"  s += M{callee}(a, d + 1);\n");
            }
            code.Append("  return s;\n }\n");
        }
        code.Append("}\n");
        return Compile(code.ToString(), $"CallGraph{methods}").GetType("Generated")!.GetMethod("M0")!;
    }

    static Assembly Compile(string source, string name)
    {
        var references = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll" or "System.Math.dll")
            .Select(p => MetadataReference.CreateFromFile(p));
        CSharpCompilation compilation = CSharpCompilation.Create("Targets.Generated." + name,
            [CSharpSyntaxTree.ParseText(source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
            throw new InvalidOperationException("generated code does not compile: " + string.Join("\n", emitted.Diagnostics.Take(5)));
        image.Position = 0;
        return AssemblyLoadContext.Default.LoadFromStream(image);
    }
}
