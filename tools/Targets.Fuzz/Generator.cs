namespace Targets.Fuzz;

/// <summary>
/// Makes a random program inside the supported subset from a seed (the same seed, the same
/// program). Guarantees, by construction: it compiles (every expression is typed by C#'s rules,
/// every literal fits its type, no constant expression can overflow or divide by zero at compile
/// time), and it terminates (every loop counts to a small bound with a counter the body cannot assign,
/// recursion is bounded by an argument that decreases, no loop follows links, which may form cycles: see
/// <see cref="cycles"/>). It may throw: division by zero,
/// overflow in checked code, indices out of range, null dereferences, Math.Clamp's and Abs's
/// checks, explicit throws under a condition, and tails that never return (<see cref="Tail"/>).
/// </summary>
internal sealed partial class Generator
{
    /// <summary>The entry's parameters: scalars of five types, two input arrays and two output arrays.</summary>
    public const string EntrySignature = "public static long Run(int p0, long p1, double p2, uint p3, float p4, int[] ai, double[] ad, long[] outL, double[] outD)";

    /// <summary>The types of <see cref="EntrySignature"/>'s parameters, in order.</summary>
    public static readonly Type[] EntryTypes = [typeof(int), typeof(long), typeof(double), typeof(uint), typeof(float), typeof(int[]), typeof(double[]), typeof(long[]), typeof(double[])];

    /// <summary>Outputs each run writes: every variable of the entry's outermost block, up to this many per kind.</summary>
    public const int Outputs = 64;

    sealed record Var(string Name, Ty Type, bool Mutable);

    /// <summary>A local holding a jit class instance; <see cref="Born"/> orders instances (links point back, except those that close cycles).</summary>
    sealed record Obj(string Name, ClassModel Class, int Born);

    /// <summary>A method expressions may call; <see cref="Lead"/>: a first argument written as is (the function a higher-order helper is passed).</summary>
    sealed record Callee(string Name, Ty Return, Ty[] Parameters, bool Recursive)
    {
        public string? Lead { get; init; }
    }

    sealed record FieldInfo(string Name, Ty Type);

    readonly Random random;
    readonly List<List<Var>> scopes = [];
    readonly List<List<Obj>> objectScopes = [];
    readonly List<(string Name, int Length)> intArrays = [];
    readonly List<(string Name, int Rows, int Columns)> grids = [];
    readonly List<(string Name, ClassModel Class)> objectArrays = [];
    readonly List<Callee> callees = [];
    readonly Dictionary<ClassModel, List<FieldInfo>> fields = [];
    readonly Dictionary<ClassModel, List<(string Name, Ty Return)>> methods = [];
    List<ClassModel> classes = [];
    int names, born, statements, loopDepth;
    bool hasArrays;

    /// <summary>
    /// Inside a Prange body: nothing may throw (on parallel, other chunks would go on writing after
    /// .NET's first exception), and only what the iteration owns may be written — its privates, its
    /// private arrays, its own element of the loop's output array, and the loop's reductions.
    /// </summary>
    bool safe;
    int mutableFloor, checkedDepth;
    List<(string Name, int Length)> readOnlyArrays = [];

    /// <summary>Device programs (the cuda target's subset): no jit classes, no array made in the program, no Prange loop (its output array is made).</summary>
    readonly bool device;

    /// <summary>
    /// Decides what was added to the generator later — the non-returning tails (<see cref="Tail"/>),
    /// the affine and racy writes of Prange loops (<see cref="AffineWrites"/>) — apart from
    /// <see cref="random"/>, so that adding them left every other choice of a seed's program as it
    /// was (seed 9720746 still makes the program that found the outliner's crash).
    /// </summary>
    readonly Random tails;
    int loopsMade, prangesMade, tailNames;
    bool failCalled;

    Generator(int seed, bool device)
    {
        random = new Random(seed);
        tails = new Random(unchecked(seed * 7919 + 17));
        values = new Random(unchecked(seed * 104729 + 32)); // seed 9720746 (see tails) gets no value types: its program stays
        functions = new Random(unchecked(seed * 15485863 + 51)); // nor generic helpers, lambdas or local functions
        handlers = new Random(unchecked(seed * 49979687 + 67)); // nor try statements
        tries = handlers.Next(3) == 0;
        hierarchies = new Random(unchecked(seed * 67867967 + 89)); // nor class hierarchies
        cycles = new Random(unchecked(seed * 86028121 + 97)); // nor reference cycles
        spans = new Random(unchecked(seed * 32452843 + 101)); // nor spans
        withSpans = spans.Next(3) != 0;
        strings = new Random(unchecked(seed * 179424673 + 113)); // nor strings
        withStrings = strings.Next(2) == 0;
        simd = new Random(unchecked(seed * 373587883 + 128)); // nor vectors
        withSimd = simd.Next(2) == 0;
        collections = new Random(unchecked(seed * 512927357 + 140)); // nor collections
        withCollections = collections.Next(5) < 2;
        this.device = device;
    }

    /// <summary>The program of <paramref name="seed"/>; <paramref name="device"/>: only what the cuda target compiles (no allocation, no jit classes).</summary>
    public static ProgramModel Generate(int seed, bool device = false) => new Generator(seed, device).Program(seed);

    ProgramModel Program(int seed)
    {
        var made = new List<ClassModel>();
        for (int k = 0, count = random.Next(3); k < count && !device; k++)
            made.Add(MakeClass(k, k > 0 ? made[k - 1] : null));
        classes = made;
        MakeValueTypes();
        MakeHierarchy();
        var helpers = new List<MethodModel>();
        for (int h = 0, count = random.Next(4); h < count; h++)
            helpers.Add(random.Next(4) == 0 ? Recursive(h) : Helper(h));
        if (functions.Next(3) == 0)
            helpers.AddRange(FunctionHelpers());
        MethodModel entry = Entry();
        ForgetLocalFunctions();
        if (failCalled)
            helpers.Add(new MethodModel("internal static void Fail(int code)", [new Stmt("if (code >= 0) throw new InvalidOperationException(\"fail\");", []), new Stmt("throw new ArgumentException(\"fail\");", [])]));
        helpers.AddRange(StructHelpers());
        return new ProgramModel(seed, classes, helpers, entry, Inputs()) { ValueTypes = valueTypeDeclarations };
    }

    // ---- methods --------------------------------------------------------------------------

    MethodModel Entry()
    {
        Reset(arrays: true);
        var body = new List<Stmt>();
        string[] seeds = ["p0 > 3", "(sbyte)p0", "(byte)p1", "(short)p3", "(ushort)p0", "p0", "p3", "p1", "(ulong)p1", "p4", "p2"];
        Ty[] types = [Ty.Bool, Ty.SByte, Ty.Byte, Ty.Short, Ty.UShort, Ty.Int, Ty.UInt, Ty.Long, Ty.ULong, Ty.Float, Ty.Double];
        for (int n = 0; n < types.Length; n++)
            body.Add(Declare(types[n], Expr.Leaf(types[n], seeds[n])));
        body.AddRange(LocalFunctions());
        body.AddRange(Statements(random.Next(8, 20), depth: 0));
        // Every variable still in scope, and the fields of every instance, is an output.
        int longs = 0, doubles = 0;
        foreach (Var v in scopes[0])
            Output(body, v.Name, v.Type, ref longs, ref doubles);
        foreach (Obj o in objectScopes[0])
        {
            foreach (FieldInfo f in fields[o.Class])
                Output(body, $"{o.Name}.{f.Name}", f.Type, ref longs, ref doubles);
        }
        foreach ((string name, StructModel model) in structScopes[0])
        {
            foreach ((string path, Ty type) in FieldPaths(model, name))
                Output(body, path, type, ref longs, ref doubles);
        }
        body.Add(new Stmt("return {0};", [Expression(Ty.Long, 2)]));
        return new MethodModel(EntrySignature, body);
    }

    static void Output(List<Stmt> body, string value, Ty type, ref int longs, ref int doubles)
    {
        if (type.IsFloat() && doubles < Outputs)
            body.Add(new Stmt($"outD[{doubles++}] = {value};", []));
        else if (!type.IsFloat() && longs < Outputs)
            body.Add(new Stmt(type == Ty.Bool ? $"outL[{longs++}] = {value} ? 1 : 0;" : $"outL[{longs++}] = (long){value};", []));
    }

    MethodModel Helper(int index)
    {
        Reset(arrays: false);
        Ty result = Pick(Types.Numeric.Append(Ty.Bool).ToArray());
        Ty[] parameters = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Pick(Types.Numeric)).ToArray();
        for (int p = 0; p < parameters.Length; p++)
            scopes[0].Add(new Var($"a{p}", parameters[p], Mutable: true));
        List<Stmt> body = Block(random.Next(2, 8), depth: 0);
        body.Add(new Stmt("return {0};", [Expression(result, 3)]));
        string name = $"H{index}";
        callees.Add(new Callee(name, result, parameters, Recursive: false));
        return new MethodModel($"static {result.Name()} {name}({string.Join(", ", parameters.Select((t, p) => $"{t.Name()} a{p}"))})", body);
    }

    /// <summary><c>static T R(int n, T x)</c>: returns x at n ≤ 0, else calls itself with n - 1; callers pass n in 0 … 7.</summary>
    MethodModel Recursive(int index)
    {
        Reset(arrays: false);
        Ty result = Pick(Types.Arithmetic);
        string name = $"R{index}";
        scopes[0].Add(new Var("n", Ty.Int, Mutable: false));
        scopes[0].Add(new Var("x", result, Mutable: true));
        var body = new List<Stmt> { new("if (n <= 0)", [], [new Stmt("return x;", [])]) { Keep = true } };
        body.AddRange(Block(random.Next(1, 5), depth: 1));
        Expr again = new(result, $"{name}(n - 1, {{0}})", [Expression(result, 2)]);
        body.Add(new Stmt("return {0};", [Binary(result, random.Next(2) == 0 || result.IsFloat() ? "+" : "^", again, Expression(result, 2))]));
        callees.Add(new Callee(name, result, [Ty.Int, result], Recursive: true));
        return new MethodModel($"static {result.Name()} {name}(int n, {result.Name()} x)", body);
    }

    /// <summary>
    /// Reference cycles (issue 37), decided apart from the other choices so that a program without one is the program
    /// its seed made before: a <c>Next</c> link to any instance of the class (itself, a newer one), and in a hierarchy a
    /// base-typed <c>Link</c> between instances of any of its classes. Nothing walks links in a loop, so a cycle never
    /// makes a program run on; every one is garbage when the entry returns, which the oracle's collection frees.
    /// </summary>
    readonly Random cycles;

    /// <summary>A class's <c>Other</c> field points at the class made before it (never back: no cycle across classes).</summary>
    readonly Dictionary<string, ClassModel> otherOf = [];

    ClassModel MakeClass(int index, ClassModel? previous)
    {
        string name = $"K{index}";
        var own = new List<FieldInfo>();
        var declarations = new List<string>();
        for (int f = 0, count = random.Next(2, 6); f < count; f++)
        {
            Ty type = Pick(Types.Numeric.Append(Ty.Bool).ToArray());
            own.Add(new FieldInfo($"f{f}", type));
            declarations.Add($"public {type.Name()} f{f};");
        }
        declarations.Add($"public {name}? Next;");
        declarations.Add("public int[] Data;");
        if (previous is not null)
        {
            declarations.Add($"public {previous.Name}? Other;");
            otherOf[name] = previous;
        }
        var model = new ClassModel(name, declarations, new MethodModel("", []), []);
        fields[model] = own;
        methods[model] = [];

        // The constructor: fields from the two arguments, Data made; then what the class's methods do.
        Reset(arrays: false);
        scopes[0].AddRange(own.Select(f => new Var(f.Name, f.Type, Mutable: true)));
        scopes[0].Add(new Var("a", Ty.Int, Mutable: true));
        scopes[0].Add(new Var("b", Ty.Double, Mutable: true));
        var ctor = new List<Stmt> { new("Data = new int[4];", []) };
        foreach (FieldInfo f in own)
            ctor.Add(new Stmt($"{f.Name} = {{0}};", [Expression(f.Type, 2)]));
        ctor.AddRange(Block(random.Next(0, 3), depth: 1)); // may throw: a constructor that raises frees its instance
        var constructor = new MethodModel($"public {name}(int a, double b)", ctor);

        var members = new List<MethodModel>();
        for (int m = 0, count = random.Next(1, 3); m < count; m++)
        {
            Reset(arrays: false);
            scopes[0].AddRange(own.Select(f => new Var(f.Name, f.Type, Mutable: true)));
            scopes[0].Add(new Var("x", Ty.Int, Mutable: true));
            intArrays.Add(("Data", 4));
            Ty result = Pick(Types.Numeric);
            List<Stmt> body = Block(random.Next(1, 6), depth: 0);
            body.Add(new Stmt("return {0};", [Expression(result, 3)]));
            members.Add(new MethodModel($"public {result.Name()} M{m}(int x)", body));
            methods[model].Add(($"M{m}", result));
        }
        ClassModel made = model with { Constructor = constructor, Methods = members };
        fields[made] = own;
        methods[made] = methods[model];
        return made;
    }

    void Reset(bool arrays)
    {
        scopes.Clear();
        scopes.Add([]);
        objectScopes.Clear();
        objectScopes.Add([]);
        structScopes.Clear();
        structScopes.Add([]);
        intArrays.Clear();
        grids.Clear();
        objectArrays.Clear();
        hasArrays = arrays;
        if (arrays)
            intArrays.Add(("ai", 8));
        statements = 0;
        loopDepth = 0;
        checkedDepth = 0;
    }

    // ---- statements -----------------------------------------------------------------------

    /// <summary>A nested block: what it declares goes out of scope at its end.</summary>
    List<Stmt> Block(int count, int depth)
    {
        scopes.Add([]);
        objectScopes.Add([]);
        structScopes.Add([]);
        int arrays = intArrays.Count, gridCount = grids.Count, objectArrayCount = objectArrays.Count;
        (int loops, int pranges) = (loopsMade, prangesMade);
        List<Stmt> block = Statements(count, depth);
        // A nested block with a loop in it now and then ends in a tail that never returns (a Prange
        // loop's exit leading only to a throw crashed the outliner, issue 42).
        if (!safe && depth > 0 && (prangesMade > pranges ? tails.Next(2) == 0 : loopsMade > loops && tails.Next(4) == 0))
            block.Add(Tail());
        scopes.RemoveAt(scopes.Count - 1);
        objectScopes.RemoveAt(objectScopes.Count - 1);
        structScopes.RemoveAt(structScopes.Count - 1);
        intArrays.RemoveRange(arrays, intArrays.Count - arrays);
        grids.RemoveRange(gridCount, grids.Count - gridCount);
        objectArrays.RemoveRange(objectArrayCount, objectArrays.Count - objectArrayCount);
        return block;
    }

    /// <summary>Statements in the current scope (a method's outermost block keeps its declarations: the entry's are its outputs).</summary>
    List<Stmt> Statements(int count, int depth)
    {
        var block = new List<Stmt>();
        for (int n = 0; n < count && statements < 60; n++)
        {
            statements++;
            block.Add(Statement(depth));
        }
        return block;
    }

    Stmt Declare(Ty type, Expr value)
    {
        string name = $"v{names++}";
        scopes[^1].Add(new Var(name, type, Mutable: true));
        return new Stmt($"{type.Name()} {name} = {{0}};", [value], Declares: name);
    }

    Stmt Statement(int depth)
    {
        if (structs.Count + enums.Count > 0 && !safe && checkedDepth == 0 && values.Next(5) == 0)
            return ValueStatement();
        bool nested = depth < 3;
        if (tries && nested && handlers.Next(9) == 0)
            return safe ? PrangeTry(depth) : TryStatement(depth);
        if (hierarchyDeclared && !safe && hierarchies.Next(8) == 0)
            return HierarchyStatement();
        if (SpanStatementDue)
            return SpanStatement();
        if (StringStatementDue)
            return StringStatement();
        if (SimdStatementDue)
            return SimdStatement();
        if (CollectionStatementDue)
            return CollectionStatement();
        int choice = random.Next(100);
        switch (choice)
        {
            case < 18:
                {
                    Ty type = Pick(Types.Numeric.Append(Ty.Bool).ToArray());
                    Ty from = random.Next(3) == 0 ? Pick(Types.Numeric) : type;
                    return Declare(type, from == type || !Implicit(from, type) ? Convert(Expression(from, 3), type) : Assignable(type, 3));
                }
            case < 34 when Mutables().Count > 0:
                {
                    Var v = Pick(Mutables());
                    return new Stmt($"{v.Name} = {{0}};", [Assignable(v.Type, 3)]);
                }
            case < 44 when Mutables().Count > 0:
                return CompoundAssignment(Pick(Mutables()));
            case < 50 when intArrays.Count > 0:
                {
                    (string array, int length) = Pick(intArrays);
                    return new Stmt($"{array}[{{0}}] = {{1}};", [Index(length), Expression(Ty.Int, 2)]);
                }
            case < 53 when hasArrays && !safe:
                return new Stmt("ad[{0}] = {1};", [Index(8), Expression(Ty.Double, 2)]);
            case < 60 when nested:
                return random.Next(3) == 0
                    ? new Stmt("if ({0})", [Expression(Ty.Bool, 2)], Block(random.Next(1, 4), depth + 1), Block(random.Next(1, 3), depth + 1))
                    : new Stmt("if ({0})", [Expression(Ty.Bool, 2)], Block(random.Next(1, 4), depth + 1));
            case < 67 when nested && loopDepth < 2:
                return Loop(depth);
            case < 70 when nested:
                return Switch(depth);
            case < 73 when nested && !safe:
                {
                    // A Prange loop never goes in a checked block: its reductions would be checked, and may throw.
                    bool isChecked = random.Next(4) == 0;
                    checkedDepth += isChecked ? 1 : 0;
                    Stmt block = new(isChecked ? "checked" : "unchecked", [], Block(random.Next(1, 4), depth + 1));
                    checkedDepth -= isChecked ? 1 : 0;
                    return block;
                }
            case < 75 when !safe:
                {
                    string[] exceptions = ["InvalidOperationException", "ArgumentException", "NotSupportedException", "ArithmeticException",
                        "IndexOutOfRangeException", "OverflowException", "DivideByZeroException", "NotImplementedException", "InvalidCastException", "FormatException"];
                    string message = random.Next(4) == 0 ? "" : $"\"t{names++}\"";
                    return new Stmt($"if (({{0}}) && ({{1}})) throw new {Pick(exceptions)}({message});", [Expression(Ty.Bool, 2), Expression(Ty.Bool, 2)]);
                }
            case < 79 when loopDepth > 0:
                return new Stmt($"if ({{0}}) {(random.Next(2) == 0 ? "break" : "continue")};", [Expression(Ty.Bool, 2)]);
            case < 80 when hasArrays && !device:
                {
                    int length = 1 << random.Next(4);
                    string name = $"v{names++}";
                    intArrays.Add((name, length));
                    return new Stmt($"int[] {name} = new int[{length}];", [], Declares: name);
                }
            case < 82 when hasArrays && !safe && grids.Count > 0 && random.Next(2) == 0:
                {
                    (string grid, int rows, int columns) = Pick(grids);
                    return new Stmt($"{grid}[{{0}}, {{1}}] = {{2}};", [Index(rows), Index(columns), Expression(Ty.Int, 2)]);
                }
            case < 82 when hasArrays && !safe && !device:
                {
                    int rows = 1 << random.Next(3), columns = 1 << random.Next(3);
                    string name = $"v{names++}";
                    grids.Add((name, rows, columns));
                    return new Stmt($"int[,] {name} = new int[{rows}, {columns}];", [], Declares: name);
                }
            case < 86 when hasArrays && !safe && nested && loopDepth == 0 && checkedDepth == 0 && tryDepth == 0 && !device:
                return PrangeLoop(depth);
            case < 100 when classes.Count > 0 && hasArrays && !safe:
                return ObjectStatement();
            default:
                {
                    Var v = Mutables().Count > 0 ? Pick(Mutables()) : null!;
                    return v is not null && v.Type != Ty.Bool ? new Stmt($"{v.Name}{(random.Next(2) == 0 ? "++" : "--")};", []) : Declare(Ty.Int, Expression(Ty.Int, 2));
                }
        }
    }

    /// <summary>An expression of <paramref name="to"/> from one of another type: an explicit cast, or a comparison for bool.</summary>
    Expr Convert(Expr e, Ty to)
    {
        if (e.Type == to)
            return e;
        if (to == Ty.Bool)
            return Make(Ty.Bool, "({0} != {1})", e, Expr.Leaf(e.Type, Zero(e.Type), constant: true));
        if (e.Type == Ty.Bool)
            return Make(to, $"({{0}} ? ({to.Name()})1 : ({to.Name()})0)", e);
        return Make(to, $"(({to.Name()})({{0}}))", e);
    }

    /// <summary>C#'s implicit numeric conversions (widening; int, uint, long, ulong to float and double included).</summary>
    static bool Implicit(Ty from, Ty to) => (from, to) switch
    {
        (Ty.SByte, Ty.Short or Ty.Int or Ty.Long or Ty.Float or Ty.Double) => true,
        (Ty.Byte, Ty.Short or Ty.UShort or Ty.Int or Ty.UInt or Ty.Long or Ty.ULong or Ty.Float or Ty.Double) => true,
        (Ty.Short, Ty.Int or Ty.Long or Ty.Float or Ty.Double) => true,
        (Ty.UShort, Ty.Int or Ty.UInt or Ty.Long or Ty.ULong or Ty.Float or Ty.Double) => true,
        (Ty.Int, Ty.Long or Ty.Float or Ty.Double) => true,
        (Ty.UInt, Ty.Long or Ty.ULong or Ty.Float or Ty.Double) => true,
        (Ty.Long or Ty.ULong, Ty.Float or Ty.Double) => true,
        (Ty.Float, Ty.Double) => true,
        _ => false,
    };

    /// <summary>
    /// A value for a place of type <paramref name="to"/> (a declaration, an assignment, an argument):
    /// now and then one of a narrower type converted implicitly, as C# lets users write it.
    /// </summary>
    Expr Assignable(Ty to, int depth)
    {
        Ty[] narrower = Types.Numeric.Where(from => Implicit(from, to)).ToArray();
        return narrower.Length > 0 && random.Next(4) == 0 ? Expression(Pick(narrower), depth) : Expression(to, depth);
    }

    static string Zero(Ty t) => t switch { Ty.Float => "0f", Ty.Double => "0.0", Ty.Bool => "false", _ => $"({t.Name()})0" };

    Stmt CompoundAssignment(Var v)
    {
        if (v.Type == Ty.Bool)
            return new Stmt($"{v.Name} {Pick(["&=", "|=", "^="])} {{0}};", [Expression(Ty.Bool, 2)]);
        string[] ops = v.Type.IsFloat() ? ["+=", "-=", "*=", "/=", "%="] : ["+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>="];
        string op = Pick(ops);
        Expr value = op is "<<=" or ">>=" ? Expression(Ty.Int, 2) : Expression(v.Type, 2);
        if (op is "/=" or "%=" && !v.Type.IsFloat())
        {
            if (value.Constant)
                value = NonConstant(v.Type);
            if (random.Next(5) > 0)
                return new Stmt(v.Type is Ty.Int or Ty.UInt or Ty.Long or Ty.ULong ? $"{v.Name} {op} ({{0}} | {One(v.Type)});" : $"{v.Name} {op} ({v.Type.Name()})({{0}} | 1);", [value]);
        }
        return new Stmt($"{v.Name} {op} {{0}};", [value]);
    }

    /// <summary>
    /// A statement after which nothing in its block runs: a throw, a loop whose only exit is a
    /// throw, or a call of <c>Fail</c>, which always throws (the compiler cannot know it does).
    /// </summary>
    Stmt Tail()
    {
        string[] exceptions = ["InvalidOperationException", "ArgumentException", "IndexOutOfRangeException", "OverflowException", "NotSupportedException"];
        string thrown = $"throw new {exceptions[tails.Next(exceptions.Length)]}(\"tail{tailNames++}\");";
        switch (tails.Next(3))
        {
            case 0:
                return new Stmt(thrown, []);
            case 1:
                {
                    string k = $"k{tailNames++}";
                    return new Stmt($"for (int {k} = 0; ; {k}++) if ({k} >= {tails.Next(4)}) {thrown}", []);
                }
            default:
                failCalled = true;
                Var? v = Visible(Ty.Int).LastOrDefault();
                return new Stmt($"{ProgramModel.Holder}.Fail({v?.Name ?? "-1"});", []); // qualified: jit classes' methods call it too
        }
    }

    Stmt Loop(int depth)
    {
        loopsMade++;
        loopDepth++;
        string counter = $"i{names++}";
        int bound = random.Next(0, 6);
        Stmt loop;
        switch (random.Next(3))
        {
            case 0:
                scopes.Add([new Var(counter, Ty.Int, Mutable: false)]);
                loop = new Stmt($"for (int {counter} = 0; {counter} < {bound}; {counter}++)", [], Block(random.Next(1, 5), depth + 1));
                scopes.RemoveAt(scopes.Count - 1);
                break;
            case 1:
                // The counter steps first, so continue cannot skip it.
                loop = new Stmt($"while ({counter} < {bound})", [], [new Stmt($"{counter}++;", []) { Keep = true }, .. Block(random.Next(1, 5), depth + 1)]);
                loop = Wrap(counter, loop);
                break;
            default:
                loop = new Stmt("do", [], [new Stmt($"{counter}++;", []) { Keep = true }, .. Block(random.Next(1, 5), depth + 1)], Trailer: $"while ({counter} < {bound});");
                loop = Wrap(counter, loop);
                break;
        }
        loopDepth--;
        return loop;
    }

    /// <summary>A loop with its counter declared just before it, in a block of their own.</summary>
    static Stmt Wrap(string counter, Stmt loop) => new("", [], [new Stmt($"int {counter} = 0;", []), loop]);

    /// <summary>
    /// A Prange loop over 0 … n-1 (n a power of two, or 0) with integer reductions (exact in any
    /// order) and a per-iteration output array, its body written in <see cref="safe"/> mode; after
    /// it, the reductions and the array are ordinary variables.
    /// </summary>
    Stmt PrangeLoop(int depth)
    {
        prangesMade++;
        int count = random.Next(5) == 0 ? 0 : 1 << random.Next(7);
        string i = $"i{names++}", output = $"r{names++}";
        var reductions = new List<(string Name, Ty Type, string Op)>();
        for (int r = 0, n = random.Next(1, 3); r < n; r++)
            reductions.Add(($"s{names++}", Pick(Types.Integral32Up), Pick(ReductionOps)));

        List<(string, int)> savedArrays = [.. intArrays];
        (bool savedSafe, int savedFloor, int savedLoops) = (safe, mutableFloor, loopDepth);
        readOnlyArrays = savedArrays;
        intArrays.Clear();
        safe = true;
        loopDepth = 0;
        scopes.Add([new Var(i, Ty.Int, Mutable: false)]);
        mutableFloor = scopes.Count;
        List<Stmt> body = Block(random.Next(1, 5), depth + 1);
        body.Insert(random.Next(body.Count + 1), new Stmt($"{output}[{i}] = {{0}};", [Expression(Ty.Int, 2)]));
        foreach ((string name, Ty type, string op) in reductions)
        {
            for (int u = 0, updates = random.Next(1, 3); u < updates; u++)
            {
                // Never foldable to a constant: Roslyn turns s *= 0 (and s *= v * 0) into s = 0, which is no reduction.
                Expr value = Make(type, "({0} + {1})", NonConstant(type), Expression(type, 2));
                Stmt update = op switch
                {
                    "min" or "max" => new Stmt($"{name} = Math.{(op == "min" ? "Min" : "Max")}({name}, {{0}});", [value]),
                    "long+" => new Stmt($"{name} = {name} + {{0}};", [value]),
                    _ => new Stmt($"{name} {op} {{0}};", [value]),
                };
                body.Insert(random.Next(body.Count + 1), update);
            }
        }
        scopes.RemoveAt(scopes.Count - 1);
        intArrays.Clear();
        intArrays.AddRange(savedArrays);
        (safe, mutableFloor, loopDepth) = (savedSafe, savedFloor, savedLoops);
        readOnlyArrays = [];

        string declarations = string.Concat(reductions.Select(r => $"{r.Type.Name()} {r.Name} = {Types.RandomLiteral(random, r.Type)};\n        "))
            + $"int[] {output} = new int[{count}];\n        ";
        foreach ((string name, Ty type, _) in reductions)
            scopes[^1].Add(new Var(name, type, Mutable: true));
        if (count > 0)
            intArrays.Add((output, count));
        (string more, string? after) = AffineWrites(i, output, count, body);
        return new Stmt(declarations + more + $"foreach (int {i} in Prange.Range({count}))", [], body, Trailer: after);
    }

    /// <summary>
    /// Now and then (from <see cref="tails"/>) a Prange body also writes a flat array of its own at
    /// affine indices the parallel target must prove disjoint — rows of a constant or variable width
    /// (<c>m[i * w + j]</c>, <c>j &lt; w</c>) or pairs (<c>m[2 * i]</c>, <c>m[2 * i + 1]</c>) — folded into
    /// <c>ai</c> after the loop so that the result shows; or, more rarely, it writes its output array
    /// at <c>[i &gt;&gt; 1]</c> (<see cref="RacyWrite"/>), a race the parallel target must refuse.
    /// Returns declarations to put before the loop and a statement to put after it.
    /// </summary>
    /// <summary>The racy write <see cref="AffineWrites"/> makes: where it is reachable, the parallel target must refuse the program.</summary>
    public static readonly System.Text.RegularExpressions.Regex RacyWrite = new(@"\[i\d+ >> 1\] = i\d+;");

    (string Declarations, string? After) AffineWrites(string i, string output, int count, List<Stmt> body)
    {
        int choice = tails.Next(8);
        if (choice == 0)
        {
            body.Insert(tails.Next(body.Count + 1), new Stmt($"{output}[{i} >> 1] = {i};", []));
            return ("", null);
        }
        if (choice > 3)
            return ("", null);
        string m = $"m{tailNames++}", j = $"j{tailNames++}";
        string fold = $"for (int q = 0; q < {m}.Length; q++) ai[q & 7] ^= {m}[q] + q;";
        if (choice == 3)
        {
            body.Insert(tails.Next(body.Count + 1), new Stmt($"{m}[2 * {i}] = {i} ^ {tails.Next(100)};", []));
            body.Insert(tails.Next(body.Count + 1), new Stmt($"{m}[2 * {i} + 1] = -{i};", []));
            return ($"int[] {m} = new int[{2 * count}];\n        ", fold);
        }
        int width = tails.Next(1, 5);
        string w = choice == 1 ? width.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"w{tailNames++}";
        string declaration = choice == 1 ? "" : $"int {w} = {width};\n        ";
        body.Insert(tails.Next(body.Count + 1), new Stmt($"for (int {j} = 0; {j} < {w}; {j}++) {m}[{i} * {w} + {j}] = {i} * {tails.Next(1, 9)} - {j};", []));
        return (declaration + $"int[] {m} = new int[{count * width}];\n        ", fold);
    }

    static readonly string[] ReductionOps = ["+=", "-=", "*=", "&=", "|=", "^=", "min", "max", "long+"];

    static readonly string[] CaseLabels = ["case 0:", "case 1:", "default:"];

    Stmt Switch(int depth)
    {
        var cases = new List<Stmt>();
        foreach (string label in CaseLabels.Where((_, n) => n == 2 || random.Next(3) > 0))
            cases.Add(new Stmt(label, [], Block(random.Next(1, 3), depth + 1), Trailer: "break;"));
        return new Stmt("switch (({0}) & 3)", [Expression(Ty.Int, 2)], cases);
    }

    Stmt ObjectStatement()
    {
        List<Obj> objects = objectScopes.SelectMany(o => o).ToList();
        int choice = random.Next(objects.Count == 0 ? 1 : 10);
        if (choice == 0)
        {
            ClassModel c = Pick(classes);
            string name = $"o{names++}";
            var made = new Obj(name, c, born++);
            Stmt s = new($"{c.Name} {name} = new {c.Name}({{0}}, {{1}});", [Expression(Ty.Int, 2), Expression(Ty.Double, 2)], Declares: name);
            objectScopes[^1].Add(made);
            return s;
        }
        Obj o = Pick(objects);
        List<FieldInfo> own = fields[o.Class];
        switch (choice)
        {
            case 1 or 2:
                {
                    FieldInfo f = Pick(own);
                    return new Stmt($"{o.Name}.{f.Name} = {{0}};", [Expression(f.Type, 2)]);
                }
            case 3:
                {
                    // Links point at older instances of the same class, or (now and then) at any, itself included: a cycle
                    // the collector frees once the entry drops it.
                    if (cycles.Next(3) == 0)
                        return new Stmt($"{o.Name}.Next = {objects.Where(p => p.Class == o.Class).ElementAt(cycles.Next(objects.Count(p => p.Class == o.Class))).Name};", []);
                    List<Obj> older = objects.Where(p => p.Class == o.Class && p.Born < o.Born).ToList();
                    return older.Count > 0 ? new Stmt($"{o.Name}.Next = {Pick(older).Name};", []) : new Stmt($"{o.Name}.Next = null;", []);
                }
            case 4:
                return new Stmt($"{o.Name}.Data[{{0}}] = {{1}};", [Index(4), Expression(Ty.Int, 2)]);
            case 5:
                {
                    (string m, Ty result) = Pick(methods[o.Class]);
                    return Declare(result, new Expr(result, $"{o.Name}.{m}({{0}})", [Expression(Ty.Int, 2)]));
                }
            case 7 when otherOf.TryGetValue(o.Class.Name, out ClassModel? other):
                {
                    List<Obj> targets = objects.Where(p => p.Class.Name == other.Name).ToList();
                    return targets.Count > 0 ? new Stmt($"{o.Name}.Other = {Pick(targets).Name};", []) : new Stmt($"{o.Name}.Other = null;", []);
                }
            case 8:
                {
                    // An array of instances: elements point anywhere, and nothing points back at the array.
                    string name = $"b{names++}";
                    objectArrays.Add((name, o.Class));
                    return new Stmt($"{o.Class.Name}[] {name} = new {o.Class.Name}[4];", [], Declares: name);
                }
            case 9 when objectArrays.Count > 0:
                {
                    (string array, ClassModel c) = Pick(objectArrays);
                    List<Obj> same = objects.Where(p => p.Class.Name == c.Name).ToList();
                    return same.Count > 0 && random.Next(5) > 0
                        ? new Stmt($"{array}[{{0}}] = {Pick(same).Name};", [Index(4)])
                        : new Stmt($"{array}[{{0}}] = null;", [Index(4)]);
                }
            default:
                {
                    // Another name for an older instance: what it links to stays older.
                    List<Obj> same = objects.Where(p => p.Class == o.Class && p != o).ToList();
                    if (same.Count == 0)
                        return new Stmt($"{o.Name}.Next = null;", []);
                    Obj other = Pick(same);
                    string name = $"o{names++}";
                    objectScopes[^1].Add(other with { Name = name });
                    return new Stmt($"{o.Class.Name} {name} = {other.Name};", [], Declares: name);
                }
        }
    }

    // ---- expressions ----------------------------------------------------------------------

    List<Var> Mutables() => scopes.Skip(safe ? mutableFloor : 0).SelectMany(s => s).Where(v => v.Mutable).ToList();

    List<Var> Visible(Ty t) => scopes.SelectMany(s => s).Where(v => v.Type == t).ToList();

    /// <summary>An in-range index into an array of <paramref name="length"/> (a power of two), or now and then a raw one.</summary>
    Expr Index(int length) => !safe && random.Next(30) == 0
        ? Expression(Ty.Int, 1)
        : Make(Ty.Int, $"(({{0}}) & {length - 1})", Expression(Ty.Int, 2));

    Expr Expression(Ty t, int depth)
    {
        if (depth <= 0 || random.Next(4) == 0)
            return Leaf(t);
        return t switch
        {
            Ty.Bool => BoolExpression(depth),
            Ty.Float or Ty.Double => FloatExpression(t, depth),
            Ty.Int or Ty.UInt or Ty.Long or Ty.ULong => IntegralExpression(t, depth),
            _ => NarrowExpression(t, depth),
        };
    }

    Expr Leaf(Ty t)
    {
        int choice = random.Next(10);
        if (choice < 3)
            return Expr.Leaf(t, Types.RandomLiteral(random, t), constant: true);
        if (choice < 5 && t == Ty.Int && intArrays.Count + readOnlyArrays.Count > 0)
        {
            (string array, int length) = Pick([.. intArrays, .. readOnlyArrays]);
            return new Expr(Ty.Int, $"{array}[{{0}}]", [Index(length)]);
        }
        if (choice < 5 && t == Ty.Int && grids.Count > 0 && random.Next(2) == 0)
        {
            (string grid, int rows, int columns) = Pick(grids);
            return random.Next(6) == 0 ? Expr.Leaf(Ty.Int, $"{grid}.GetLength({random.Next(2)})") : new Expr(Ty.Int, $"{grid}[{{0}}, {{1}}]", [Index(rows), Index(columns)]);
        }
        if (choice < 5 && t == Ty.Double && hasArrays)
            return new Expr(Ty.Double, "ad[{0}]", [Index(8)]);
        if (choice < 7 && objectScopes.SelectMany(o => o).ToList() is { Count: > 0 } objects)
        {
            Obj o = Pick(objects);
            List<FieldInfo> matching = fields[o.Class].Where(f => f.Type == t).ToList();
            if (matching.Count > 0)
            {
                FieldInfo f = Pick(matching);
                return random.Next(3) == 0
                    ? Expr.Leaf(t, $"({o.Name}.Next != null ? {o.Name}.Next.{f.Name} : {o.Name}.{f.Name})")
                    : Expr.Leaf(t, $"{o.Name}.{f.Name}");
            }
            if (otherOf.TryGetValue(o.Class.Name, out ClassModel? other) && fields.First(e => e.Key.Name == other.Name).Value.FirstOrDefault(x => x.Type == t) is { } far)
                return Expr.Leaf(t, $"({o.Name}.Other != null ? {o.Name}.Other.{far.Name} : {Zero(t)})");
        }
        if (choice < 8 && objectArrays.Count > 0)
        {
            (string array, ClassModel c) = Pick(objectArrays);
            if (fields.First(e => e.Key.Name == c.Name).Value.FirstOrDefault(x => x.Type == t) is { } f)
            {
                int at = random.Next(4);
                return Expr.Leaf(t, $"({array}[{at}] != null ? {array}[{at}].{f.Name} : {Zero(t)})");
            }
        }
        return NonConstant(t);
    }

    /// <summary>A variable of <paramref name="t"/>, or another variable converted to it.</summary>
    Expr NonConstant(Ty t)
    {
        List<Var> same = Visible(t);
        if (same.Count > 0)
            return Expr.Leaf(t, Pick(same).Name);
        List<Var> any = scopes.SelectMany(s => s).ToList();
        Var v = Pick(any);
        return Convert(Expr.Leaf(v.Type, v.Name), t);
    }

    /// <summary>A composite expression; if all its operands are constants, the first becomes a variable (C# folds constants, and rejects overflow in them).</summary>
    Expr Make(Ty t, string format, params Expr[] args)
    {
        if (args.Length > 0 && args.All(a => a.Constant))
            args[0] = NonConstant(args[0].Type);
        return new Expr(t, format, args);
    }

    Expr Binary(Ty t, string op, Expr a, Expr b)
    {
        if (op is "/" or "%" && !t.IsFloat())
        {
            if (b.Constant)
                b = NonConstant(b.Type); // a constant divisor of 0 is a compile error
            // Mostly a divisor that cannot be zero, so that runs get past the division; in a Prange
            // body always, and a positive one for signed types (int.MinValue / -1 overflows).
            if (safe)
                return Make(t, t is Ty.Int or Ty.Long ? $"({{0}} {op} (({{1}} & 0x7FFF) | {One(t)}))" : $"({{0}} {op} ({{1}} | {One(t)}))", a, b);
            if (random.Next(10) > 0)
                return Make(t, $"({{0}} {op} ({{1}} | {One(t)}))", a, b);
        }
        return Make(t, $"({{0}} {op} {{1}})", a, b);
    }

    static string One(Ty t) => t switch { Ty.UInt => "1U", Ty.Long => "1L", Ty.ULong => "1UL", _ => "1" };

    Expr BoolExpression(int depth)
    {
        switch (random.Next(6))
        {
            case 0 or 1:
                {
                    Ty operand = Pick(Types.Arithmetic);
                    return Make(Ty.Bool, $"({{0}} {Pick(["<", "<=", ">", ">=", "==", "!="])} {{1}})", Expression(operand, depth - 1), Expression(operand, depth - 1));
                }
            case 2:
                return Make(Ty.Bool, $"({{0}} {Pick(["&&", "||", "&", "|", "^"])} {{1}})", Expression(Ty.Bool, depth - 1), Expression(Ty.Bool, depth - 1));
            case 3:
                return Make(Ty.Bool, "(!({0}))", Expression(Ty.Bool, depth - 1));
            case 4:
                return Make(Ty.Bool, "({0} ? {1} : {2})", Expression(Ty.Bool, depth - 1), Expression(Ty.Bool, depth - 1), Expression(Ty.Bool, depth - 1));
            default:
                return Make(Ty.Bool, Pick(["({0} != {0})", "({0} == {0})"]), Expression(Ty.Double, depth - 1));
        }
    }

    Expr IntegralExpression(Ty t, int depth)
    {
        int choice = random.Next(16);
        switch (choice)
        {
            case < 5:
                return Binary(t, Pick(["+", "-", "*", "/", "%"]), Expression(t, depth - 1), Expression(t, depth - 1));
            case < 7:
                return Binary(t, Pick(["&", "|", "^"]), Expression(t, depth - 1), Expression(t, depth - 1));
            case < 8:
                return Make(t, $"({{0}} {Pick(["<<", ">>", ">>>"])} {{1}})", Expression(t, depth - 1), Expression(Ty.Int, depth - 1));
            case < 9:
                return t is Ty.Int or Ty.Long && random.Next(2) == 0 ? Make(t, "(-({0}))", Expression(t, depth - 1)) : Make(t, "(~({0}))", Expression(t, depth - 1));
            case < 10:
                return Make(t, random.Next(4) == 0 && !safe ? "checked({0})" : "unchecked({0})", Expression(t, depth));
            case < 11:
                return Make(t, $"Math.{Pick(["Min", "Max"])}({{0}}, {{1}})", Expression(t, depth - 1), Expression(t, depth - 1));
            case < 12 when t is Ty.Int or Ty.Long && !safe:
                return Make(t, "Math.Abs({0})", Expression(t, depth - 1));
            case < 12:
                {
                    // Mostly bounds in order (Math.Clamp throws otherwise).
                    Expr lo = Expression(t, depth - 1), hi = Expression(t, depth - 1);
                    return random.Next(5) == 0 && !safe
                        ? Make(t, "Math.Clamp({0}, {1}, {2})", Expression(t, depth - 1), lo, hi)
                        : Make(t, "Math.Clamp({0}, Math.Min({1}, {2}), Math.Max({1}, {2}))", Expression(t, depth - 1), lo, hi);
                }
            case < 13:
                return Make(t, "({0} ? {1} : {2})", Expression(Ty.Bool, depth - 1), Expression(t, depth - 1), Expression(t, depth - 1));
            case < 14 when Callable(t) is { Count: > 0 } callable:
                return Call(Pick(callable), depth);
            case < 14 when t == Ty.Int && random.Next(3) == 0 && !safe:
                return Make(Ty.Int, "Math.Sign({0})", Expression(Ty.Double, depth - 1));
            default:
                {
                    Ty from = Pick(Types.Numeric);
                    return Convert(Expression(from, depth - 1), t) is var c && random.Next(10) == 0 && !safe ? Make(t, "checked({0})", c) : c;
                }
        }
    }

    Expr NarrowExpression(Ty t, int depth) => random.Next(4) switch
    {
        0 => Make(t, $"Math.{Pick(["Min", "Max"])}({{0}}, {{1}})", Expression(t, depth - 1), Expression(t, depth - 1)),
        1 => Make(t, "({0} ? {1} : {2})", Expression(Ty.Bool, depth - 1), Expression(t, depth - 1), Expression(t, depth - 1)),
        _ => Convert(Expression(Pick(Types.Arithmetic), depth - 1), t) is var c && random.Next(10) == 0 && !safe ? Make(t, "checked({0})", c) : c,
    };

    Expr FloatExpression(Ty t, int depth)
    {
        string math = t == Ty.Float ? "MathF" : "Math";
        switch (random.Next(12))
        {
            case < 5:
                return Binary(t, Pick(["+", "-", "*", "/", "%"]), Expression(t, depth - 1), Expression(t, depth - 1));
            case < 6:
                return Make(t, "(-({0}))", Expression(t, depth - 1));
            case < 8:
                return Make(t, $"{math}.{Pick(["Sqrt", "Abs", "Floor", "Ceiling", "Round", "Truncate", "Sin", "Cos", "Tan", "Exp", "Log", "Log10", "Atan", "Cbrt", "Tanh"])}({{0}})", Expression(t, depth - 1));
            case < 9:
                return Make(t, $"{math}.{Pick(["Pow", "Atan2", "Min", "Max"])}({{0}}, {{1}})", Expression(t, depth - 1), Expression(t, depth - 1));
            case < 10:
                return Make(t, "({0} ? {1} : {2})", Expression(Ty.Bool, depth - 1), Expression(t, depth - 1), Expression(t, depth - 1));
            case < 11 when Callable(t) is { Count: > 0 } callable:
                return Call(Pick(callable), depth);
            default:
                return Convert(Expression(Pick(Types.Numeric), depth - 1), t);
        }
    }

    List<Callee> Callable(Ty t) => safe ? [] : callees.Where(c => c.Return == t).ToList(); // helpers may throw

    Expr Call(Callee c, int depth)
    {
        if (c.Recursive)
            return new Expr(c.Return, $"{c.Name}(({{0}}) & 7, {{1}})", [Expression(Ty.Int, depth - 1), Expression(c.Return, depth - 1)]);
        string arguments = string.Join(", ", c.Parameters.Select((_, n) => $"{{{n}}}"));
        string lead = c.Lead is null ? "" : c.Lead.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal) + ", ";
        return new Expr(c.Return, $"{c.Name}({lead}{arguments})", c.Parameters.Select(p => Assignable(p, depth - 1)).ToArray());
    }

    T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    // ---- inputs ---------------------------------------------------------------------------

    /// <summary>Three argument lists: edge values, then random ones, then a mix; fresh arrays each.</summary>
    List<object?[]> Inputs()
    {
        var inputs = new List<object?[]>();
        int[] ints = [0, 1, -1, 7, int.MinValue, int.MaxValue, 1000];
        long[] longs = [0, 1, -1, long.MinValue, long.MaxValue, 1L << 40];
        double[] doubles = [0.0, -0.0, 1.5, double.NaN, double.PositiveInfinity, -1e300, 3e9, -7.25];
        uint[] uints = [0, 1, uint.MaxValue, 1u << 31];
        float[] floats = [0f, -0f, 2.5f, float.NaN, float.NegativeInfinity, 1e20f];
        for (int n = 0; n < 3; n++)
        {
            bool edges = n != 1;
            inputs.Add([
                edges ? Pick(ints) : random.Next(-1000, 1000),
                edges ? Pick(longs) : random.NextInt64(-100_000, 100_000),
                edges ? Pick(doubles) : random.NextDouble() * 200 - 100,
                edges ? Pick(uints) : (uint)random.Next(),
                edges ? Pick(floats) : (float)(random.NextDouble() * 20 - 10),
                Enumerable.Range(0, 8).Select(_ => random.Next(3) == 0 ? Pick(ints) : random.Next(-50, 50)).ToArray(),
                Enumerable.Range(0, 8).Select(_ => random.Next(3) == 0 ? Pick(doubles) : random.NextDouble() * 10).ToArray(),
                new long[Outputs],
                new double[Outputs],
            ]);
        }
        return inputs;
    }
}
