using System.Reflection;
using Targets.Frontend.Il;
using Targets.Frontend.Ir;
using Targets.Frontend.Passes;

namespace Targets.Frontend;

/// <summary>
/// Runs the frontend for an entry method: imports it and, transitively, every method it calls
/// (recursion included) into one <see cref="IrModule"/> typed by the target's
/// <see cref="TypeContext"/>, verifies the IR, and runs the target's <see cref="Pipeline"/>
/// (verifying after each pass). Function 0 is the entry. With
/// <see cref="CompileOptions.LazyCallees"/>, only the entry is imported: every other method it calls
/// is a declaration (its signature), compiled separately when first called.
/// </summary>
public static class FrontendCompiler
{
    public static IrModule Compile(MethodBase entry, CompileOptions options, TypeContext types, Pipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pipeline);
        var module = new IrModule(types);
        var indices = new Dictionary<MethodBase, int>();
        var queue = new Queue<MethodBase>();
        var symbols = new HashSet<string>();

        int Resolve(MethodBase method)
        {
            if (indices.TryGetValue(method, out int index))
                return index;
            index = indices.Count;
            indices[method] = index;
            queue.Enqueue(method);
            return index;
        }

        string Symbol(MethodBase method)
        {
            string baseName = $"{method.DeclaringType?.FullName?.Replace('+', '.')}.{method.Name}";
            string name = baseName;
            for (int n = 1; !symbols.Add(name); n++)
                name = $"{baseName}.{n}";
            return name;
        }

        Resolve(entry);
        while (queue.Count > 0)
        {
            MethodBase method = queue.Dequeue();
            module.Functions.Add(options.LazyCallees && method != entry
                ? IlImporter.Declare(method, Symbol(method), types)
                : IlImporter.Import(method, Symbol(method), Resolve, types));
        }
        IrVerifier.Verify(module);
        module.PassCounts = pipeline.Run(module, options);
        return module;
    }
}
