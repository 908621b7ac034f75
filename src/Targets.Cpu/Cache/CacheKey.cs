using Targets.Cache;
using System.Reflection;
using System.Reflection.Emit;
using System.Text;
using Targets.Frontend.Il;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Targets.Llvm;
using Targets.Llvm.Interop;

namespace Targets.Cpu.Cache;

/// <summary>
/// The key of a compiled function in the persistent cache, computed without running the frontend:
/// a 128-bit hash (<see cref="Hash128"/>; 128 bits make an accidental collision among a cache's entries
/// vanishingly unlikely — the cache guards against corruption, not against an adversary who can write
/// to it) over everything that changes the native code — the IL bytes, locals and exception
/// clauses of every method in the call graph with each token resolved to what it names (member
/// names and signatures, string literals, the values of static readonly fields, which the frontend
/// reads at compile time), the layout of every jit class the graph reaches (fields, types, offsets,
/// size) and of every struct of the user's (as the runtime lays it out) and enum (its underlying
/// type), the compile options, the target kind, and the machine: the compiler's own assemblies,
/// the .NET runtime, the LLVM library, and the host CPU's identity and features. Methods of
/// the framework and of the compiler are keyed by name (their meaning is fixed by the versions in
/// the key); every other method reached by a call, <c>newobj</c> or <c>ldftn</c> is keyed by content.
/// Equal keys mean equal code; a method that cannot be read (no IL, a token that does not resolve)
/// gives no key, and that code is compiled and not cached.
/// </summary>
/// <param name="Hash">32 hex digits: the entry's file name and its module's name.</param>
/// <param name="JitClasses">The jit classes the call graph reaches.</param>
internal sealed record CacheKey(string Hash, IReadOnlyList<Type> JitClasses)
{
    /// <summary>Changes whenever the entry format or what the key covers changes.</summary>
    const int FormatVersion = 4; // 2: Hash128 (was XXH3-128); 3: no kernel version (CPUID tells the enabled register states); 4: structs and enums

    /// <summary>The machine and compiler part of every key, hashed (computed once per process).</summary>
    static byte[] Machine => MachineHash.Value;

    /// <summary>Computes the machine part now (it reads the file system; the walk over a call graph does not).</summary>
    public static void PrepareMachine() => _ = Machine;

    static readonly Assembly[] CompilerAssemblies =
        [typeof(CacheKey).Assembly, typeof(Frontend.FrontendCompiler).Assembly, typeof(JitEngine).Assembly, typeof(Runtime.NrtRuntimeIr).Assembly, typeof(LayoutContext).Assembly];

    /// <summary>This build of the compiler: a hash of its assemblies' module version ids (deterministic builds: new ids exactly when the code changes).</summary>
    public static string CompilerBuild { get; } = KeyHash.BuildOf(CompilerAssemblies);

    // Hashed as bytes, never formatted: number formatting would load ICU (~7 ms) on a path that is otherwise over in a few.
    static readonly Lazy<byte[]> MachineHash = new(() =>
    {
        var machine = new KeyHash();
        machine.Add("targets cache format");
        machine.Add(FormatVersion);
        machine.Add(CompilerBuild);
        machine.Add(typeof(object).Module.ModuleVersionId.ToByteArray());
        machine.Add((long)RuntimeInformation.ProcessArchitecture);
        // LLVM and the CPU as the file system and CPUID tell them, so a process whose code is all
        // cached never loads LLVM; where they cannot be told that way, LLVM says.
        FileInfo? llvm = LlvmLibrary.Locate();
        if (llvm is not null && X86Base.IsSupported)
        {
            machine.Add(llvm.FullName);
            machine.Add(llvm.Length);
            machine.Add(llvm.LastWriteTimeUtc.Ticks);
            AddCpuId(machine);
        }
        else
        {
            machine.Add(LlvmTargets.Version);
            machine.Add(LlvmTargets.HostTriple);
            machine.Add(LlvmTargets.HostCpu);
            machine.Add(LlvmTargets.HostFeatures);
        }
        return machine.Finish();
    });

    /// <summary>
    /// The CPUID leaves LLVM derives the host CPU's name and features from: vendor and highest leaves,
    /// family/model/stepping and feature bits (1), extended features (7.0, 7.1), extended leaves
    /// (0x80000001), and the XSAVE state components (0xD) — what <c>-mcpu=native</c> reads. Which
    /// register states the kernel enabled (AVX, AVX-512, AMX: LLVM asks XGETBV) shows here too:
    /// leaf 1's OSXSAVE bit, and leaf 0xD's EBX, the save area's size for the states enabled in XCR0.
    /// </summary>
    static void AddCpuId(KeyHash machine)
    {
        (int highest, _, _, _) = X86Base.CpuId(0, 0);
        (int extended, _, _, _) = X86Base.CpuId(unchecked((int)0x80000000), 0);
        foreach ((int leaf, int sub) in new[] { (0, 0), (1, 0), (7, 0), (7, 1), (0xD, 0), (0xD, 1), (unchecked((int)0x80000000), 0), (unchecked((int)0x80000001), 0), (unchecked((int)0x80000008), 0) })
        {
            bool present = leaf >= 0 ? leaf <= highest : (uint)leaf <= (uint)extended;
            (int a, int b, int c, int d) = present ? X86Base.CpuId(leaf, sub) : (0, 0, 0, 0);
            if (leaf == 1)
                b &= 0x0000ffff; // the APIC id and logical processor count differ from core to core
            machine.Add(a);
            machine.Add(b);
            machine.Add(c);
            machine.Add(d);
        }
    }

    /// <summary>The key of <paramref name="method"/> compiled by <paramref name="target"/> with <paramref name="options"/>; null when it cannot be keyed.</summary>
    public static CacheKey? Of(MethodInfo method, CompileOptions options, string target, LayoutContext layouts)
    {
        try
        {
            return new Walk(layouts).Key(method, options with { Cache = true }, target);
        }
        catch (Exception e) when (e is ArgumentException or BadImageFormatException or InvalidOperationException or NotSupportedException
            or MemberAccessException or CompilationException or TypeLoadException)
        {
            return null; // the compilation reports what is wrong with the method, if anything
        }
    }

    /// <summary>The key of a module that does not come from C# (the NRT runtime): its text and the machine.</summary>
    public static string OfText(string what, string text)
    {
        var key = new KeyHash();
        key.Add(Machine);
        key.Add(what);
        key.Add(text);
        return Hash128.Hex(key.Finish());
    }

    /// <summary>One walk over a call graph, appending what it reads to one hash.</summary>
    sealed class Walk(LayoutContext layouts)
    {
        readonly KeyHash hash = new();
        readonly HashSet<MethodBase> seen = [];
        readonly Queue<MethodBase> queue = new();
        // By name; visited in ordinal order of names (a Dictionary and a sort, not a SortedDictionary:
        // its code over KeyValuePair is JIT-compiled on every cache hit's path in a fresh process).
        readonly Dictionary<string, Type> classes = new(StringComparer.Ordinal);
        // The user's structs and enums the graph reaches: their layouts (an enum's underlying type) change the code.
        readonly Dictionary<string, Type> values = new(StringComparer.Ordinal);

        public CacheKey Key(MethodInfo entry, CompileOptions options, string target)
        {
            hash.Add(target);
            Options(options);
            Enqueue(entry);
            while (queue.TryDequeue(out MethodBase? method))
                Method(method);
            // Layouts last: the walk has found every class; a class's fields may reach more classes.
            var done = new HashSet<string>(StringComparer.Ordinal);
            while (FirstUndone(classes, done) is { } name)
            {
                done.Add(name);
                Type next = classes[name];
                JitClassType layout = layouts.Layout(next);
                hash.Add("class");
                hash.Add(Name(next));
                hash.Add(layout);
                foreach (JitField field in layout.Fields)
                {
                    if (field.Type.ClrType is { } fieldType)
                        Note(fieldType);
                }
            }
            // Structs and enums next, as the runtime lays them out (a field a method never names still moves the others).
            done.Clear();
            while (FirstUndone(values, done) is { } name)
            {
                done.Add(name);
                Type next = values[name];
                hash.Add("value");
                hash.Add(name);
                if (next.IsEnum)
                {
                    hash.Add(Name(Enum.GetUnderlyingType(next)));
                    continue;
                }
                ManagedLayout.Result layout = ManagedLayout.Of(next);
                hash.Add(layout.Size);
                for (int n = 0; n < layout.Fields.Length; n++)
                {
                    hash.Add(layout.Fields[n].Name);
                    hash.Add(Name(layout.Fields[n].FieldType));
                    hash.Add(layout.Offsets[n]);
                    Note(layout.Fields[n].FieldType);
                }
            }
            // The machine part last: a first cache hit computes it on another thread meanwhile (HostTarget.PrepareHit).
            hash.Add(Machine);
            // Copied, not spread: [.. classes.Keys] compiles to LINQ's ToArray, which loads System.Linq on a cache hit's path.
            var names = new string[classes.Count];
            classes.Keys.CopyTo(names, 0);
            Array.Sort(names, StringComparer.Ordinal);
            var sorted = new Type[names.Length];
            for (int n = 0; n < names.Length; n++)
                sorted[n] = classes[names[n]];
            return new CacheKey(Hash128.Hex(hash.Finish()), sorted);
        }

        /// <summary>
        /// Every option, by value (not the record's text: formatting its enum loads .NET's enum
        /// reflection, ~1–2 ms of a fresh process's cache hit). <c>CompileCacheTests</c> checks that each
        /// option changes the key, so one added to <see cref="CompileOptions"/> and not here fails.
        /// </summary>
        void Options(CompileOptions options)
        {
            hash.Add((long)options.RefcountPruning);
            hash.Add(options.Optimize ? 1 : 0);
            hash.Add(options.NrtDebug ? 1 : 0);
            hash.Add(options.LazyCallees ? 1 : 0);
            hash.Add(options.Cache ? 1 : 0);
            hash.Add(options.Tier == CompileTier.Quick ? 1 : 0); // tiered code's top tier is the optimised code: the same entry
        }

        /// <summary>The ordinally first class name not in <paramref name="done"/>, or null.</summary>
        static string? FirstUndone(Dictionary<string, Type> found, HashSet<string> done)
        {
            string? first = null;
            foreach (string name in found.Keys)
            {
                if (!done.Contains(name) && (first is null || string.CompareOrdinal(name, first) < 0))
                    first = name;
            }
            return first;
        }

        void Enqueue(MethodBase method)
        {
            if (seen.Add(method))
                queue.Enqueue(method);
        }

        /// <summary>Methods whose IL the key covers: not the framework's, not the compiler's (their versions are in the key).</summary>
        static bool ByContent(MethodBase method) => ByContent(method.Module.Assembly);

        /// <summary>An assembly whose code and types the key covers by content (a user's, not .NET's or the compiler's).</summary>
        static bool ByContent(Assembly assembly)
        {
            if (assembly == typeof(object).Assembly || Array.IndexOf(CompilerAssemblies, assembly) >= 0)
                return false;
            string name = assembly.FullName ?? ""; // not GetName(): it formats the culture, loading ICU (~6 ms) on the warm path
            return !(name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.", StringComparison.Ordinal) || name.StartsWith("System,", StringComparison.Ordinal));
        }

        void Method(MethodBase method)
        {
            hash.Add("method");
            hash.Add(Describe(method));
            hash.Add((long)method.Attributes);
            hash.Add((long)method.MethodImplementationFlags);
            foreach (ParameterInfo parameter in method.GetParameters())
                Note(parameter.ParameterType);
            if (method is MethodInfo info)
                Note(info.ReturnType);
            if (method.DeclaringType is { } declaring)
                Note(declaring);
            if (!ByContent(method))
                return;
            // Attributes of methods keyed by content only: the framework's and the compiler's are
            // fixed by their versions, and reading them (MethodImpl is built as a pseudo-attribute)
            // cost ~1.5 ms of a fresh process's cache hit for Math.Max alone.
            foreach (CustomAttributeData attribute in method.GetCustomAttributesData())
            {
                // The attribute's type and its arguments' bytes (CustomAttributeData.ToString formats numbers with the culture).
                hash.Add(Name(attribute.AttributeType));
                // Indexed: a foreach's enumerator over these structs is JIT-compiled in every fresh process.
                IList<CustomAttributeTypedArgument> arguments = attribute.ConstructorArguments;
                for (int n = 0; n < arguments.Count; n++)
                    Value(arguments[n].Value);
            }
            if (method.GetMethodBody() is not { } body)
                return;
            byte[] il = body.GetILAsByteArray() ?? [];
            hash.Add(il);
            hash.Add(body.InitLocals ? 1 : 0);
            hash.Add(body.MaxStackSize);
            foreach (LocalVariableInfo local in body.LocalVariables)
            {
                hash.Add(Name(local.LocalType));
                Note(local.LocalType);
            }
            foreach (ExceptionHandlingClause clause in body.ExceptionHandlingClauses)
            {
                hash.Add((long)clause.Flags);
                hash.Add(clause.TryOffset);
                hash.Add(clause.TryLength);
                hash.Add(clause.HandlerOffset);
                hash.Add(clause.HandlerLength);
            }
            Type[] typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : [];
            Type[] methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : [];
            foreach (IlInstruction instruction in IlDecoder.Decode(il, (offset, why) => new BadImageFormatException($"IL_{offset:x4}: {why}")))
                Operand(method.Module, instruction, typeArguments, methodArguments);
        }

        /// <summary>What a token names, appended in place of its number (tokens differ between builds of equal code).</summary>
        void Operand(Module module, IlInstruction instruction, Type[] typeArguments, Type[] methodArguments)
        {
            hash.Add(instruction.Offset);
            switch (instruction.OpCode.OperandType)
            {
                case OperandType.InlineMethod:
                    MethodBase callee = module.ResolveMethod(instruction.Token, typeArguments, methodArguments)!;
                    hash.Add(Describe(callee));
                    Enqueue(callee);
                    Dispatched(callee);
                    break;
                case OperandType.InlineField:
                    FieldInfo field = module.ResolveField(instruction.Token, typeArguments, methodArguments)!;
                    hash.Add(Name(field.DeclaringType!));
                    hash.Add(field.Name);
                    hash.Add(Name(field.FieldType));
                    if (field.IsStatic && field.IsInitOnly)
                        Value(field.GetValue(null));
                    Note(field.DeclaringType!);
                    Note(field.FieldType);
                    break;
                case OperandType.InlineType:
                    Type type = module.ResolveType(instruction.Token, typeArguments, methodArguments);
                    hash.Add(Name(type));
                    Note(type);
                    break;
                case OperandType.InlineTok:
                    MemberInfo member = module.ResolveMember(instruction.Token, typeArguments, methodArguments)!;
                    hash.Add(member is Type named ? Name(named) : member.DeclaringType is { } owner ? Name(owner) + "::" + member.Name : member.Name);
                    break;
                case OperandType.InlineString:
                    string literal = module.ResolveString(instruction.Token);
                    hash.Add(literal);
                    break;
                case OperandType.InlineSig:
                    hash.Add(module.ResolveSignature(instruction.Token));
                    break;
            }
        }

        /// <summary>
        /// A virtual or interface method of the user's jit classes: the classes a call may dispatch over and what each runs
        /// (a subclass added, or an override changed, changes the code).
        /// </summary>
        void Dispatched(MethodBase callee)
        {
            if (callee is not MethodInfo { IsVirtual: true, IsGenericMethod: false } declared || declared.DeclaringType is not { } owner
                || !(layouts.IsJitClass(owner) || owner.IsInterface && ByContent(owner.Assembly)))
                return;
            foreach (Type concrete in Frontend.Il.ClassHierarchy.ConcreteClasses(owner, layouts))
            {
                hash.Add(Name(concrete));
                Note(concrete);
                Enqueue(Frontend.Il.ClassHierarchy.Implementation(concrete, declared));
            }
        }

        /// <summary>A constant (a static readonly field's value, which the frontend reads; an attribute's argument): a number's bits, a string, otherwise its type.</summary>
        void Value(object? value)
        {
            switch (value)
            {
                case null: hash.Add("null"); break;
                case string text: hash.Add(text); break;
                case double d: hash.Add(BitConverter.DoubleToInt64Bits(d)); break;
                case float f: hash.Add(BitConverter.SingleToInt32Bits(f)); break;
                case ulong u: hash.Add(unchecked((long)u)); break;
                case IConvertible number when number.GetTypeCode() is >= TypeCode.Boolean and <= TypeCode.Int64 or TypeCode.Char: hash.Add(number.ToInt64(null)); break;
                case object other: hash.Add(other.GetType().FullName ?? "?"); break;
            }
        }

        /// <summary>Remembers the jit classes and the user's structs and enums among <paramref name="type"/> and what it is built from (elements, generic arguments).</summary>
        void Note(Type type)
        {
            while (type.HasElementType)
                type = type.GetElementType()!;
            // A List<T> is compiled code's own jit class (its destructor is named by that class's layout).
            type = Frontend.Il.Collections.CollectionTypes.SubstituteOf(type) ?? type;
            if (type.IsGenericType && !type.IsGenericTypeDefinition)
            {
                foreach (Type argument in type.GetGenericArguments())
                    Note(argument);
            }
            if (!type.IsGenericParameter && layouts.IsJitClass(type))
                classes.TryAdd(Name(type), type);
            else if (type.IsValueType && !type.IsPrimitive && !type.IsGenericParameter && !type.ContainsGenericParameters && !type.IsByRefLike && ByContent(type.Assembly))
                values.TryAdd(Name(type), type);
        }

        /// <summary>A method's identity in the key. Loops, not LINQ: the walk runs on a cache hit's path, which loads no System.Linq.</summary>
        static string Describe(MethodBase method)
        {
            var text = new System.Text.StringBuilder();
            text.Append(method is MethodInfo info ? Name(info.ReturnType) : "void").Append(' ')
                .Append(method.DeclaringType is { } t ? Name(t) : "<module>").Append("::").Append(method.Name);
            if (method.IsGenericMethod)
                AppendList(text, '<', method.GetGenericArguments(), '>');
            return AppendList(text, '(', Host.HostSignature.ParameterTypes(method), ')').ToString();
        }

        static System.Text.StringBuilder AppendList(System.Text.StringBuilder text, char open, Type[] types, char close)
        {
            text.Append(open);
            for (int n = 0; n < types.Length; n++)
                text.Append(n == 0 ? "" : ",").Append(Name(types[n]));
            return text.Append(close);
        }

        static string Name(Type type) => KeyHash.TypeName(type);
    }
}
