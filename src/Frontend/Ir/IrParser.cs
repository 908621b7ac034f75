using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Targets.Frontend.Il;

namespace Targets.Frontend.Ir;

/// <summary>
/// Reads the text <see cref="IrPrinter"/> writes back into an <see cref="IrModule"/>, with no C#
/// method behind any function: what golden IR files and hand-written IR tests need. Classes are
/// named as the printer names them and found through <c>resolveClass</c>; their fields by name.
/// Guarantees: printing the result gives the input again (for input the printer wrote), and the
/// result passes <see cref="IrVerifier"/>. Malformed text is a <see cref="FormatException"/> naming
/// the line; well-formed text that is not valid IR fails the verifier (InvalidOperationException).
/// </summary>
public static partial class IrParser
{
    public static IrModule Parse(string text, TypeContext types, Func<string, Type?> resolveClass)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(resolveClass);
        var module = new IrModule(types);
        var calls = new List<(Instruction Call, string Symbol, int Line)>();
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var reader = new Reader(module, resolveClass, calls);
        for (int n = 0; n < lines.Length; n++)
        {
            try
            {
                reader.Line(lines[n], n + 1);
            }
            catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException)
            {
                throw new FormatException($"line {n + 1}: cannot read '{lines[n].Trim()}': {e.Message}", e);
            }
        }
        foreach ((Instruction call, string symbol, int line) in calls)
        {
            call.Callee = module.IndexOf(symbol);
            if (call.Callee < 0)
                throw new FormatException($"line {line}: call to {symbol}, which is not a function of the module");
        }
        foreach ((IrFunction dispatch, string body, int line) in reader.ParallelBodies)
        {
            int index = body.StartsWith('#') ? int.Parse(body.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture) : module.IndexOf(body);
            if (index < 0)
                throw new FormatException($"line {line}: parallel loop body {body}, which is not a function of the module");
            dispatch.ParallelLoop = dispatch.ParallelLoop! with { Body = index };
        }
        IrVerifier.Verify(module);
        return module;
    }

    [GeneratedRegex(@"^(function|declare) (\S+)\((.*)\) -> (.+?)( ; compiled when first called)?$")]
    private static partial Regex Header();

    [GeneratedRegex(@" (s\d+):(.+?)(?= s\d+:|$)")]
    private static partial Regex SlotList();

    [GeneratedRegex(@"^(block\d+)\((.*)\)(?: handler (block\d+))?:$")]
    private static partial Regex BlockHeader();

    [GeneratedRegex(@"^  (?:(v\d+): (.+?) = )?(\S+)(?: (.*?))?\s+; (\S+)(?: \((.*)\))?$")]
    private static partial Regex InstructionLine();

    sealed class Reader(IrModule module, Func<string, Type?> resolveClass, List<(Instruction, string, int)> calls)
    {
        IrFunction? function;
        IrBlock? block;
        int line;

        FormatException Error(string message) => new($"line {line}: {message}");

        public void Line(string text, int number)
        {
            line = number;
            if (text.Length == 0)
                return;
            if (text.StartsWith("type ", StringComparison.Ordinal))
            {
                Aggregate(text);
                return;
            }
            if (Header().Match(text) is { Success: true } header)
            {
                IrType[] parameters = SplitList(header.Groups[3].Value).Select(Type).ToArray();
                function = new IrFunction(header.Groups[2].Value, Type(header.Groups[4].Value), parameters) { IsDeclaration = header.Groups[1].Value == "declare" };
                module.Functions.Add(function);
                block = null;
                return;
            }
            if (function is null)
                throw Error($"expected 'function' or 'declare', got '{text}'");
            if (text.StartsWith("  slots:", StringComparison.Ordinal))
            {
                // s0:f64 s1:ref f64 …: a slot's type may hold a space (a byref's), so split before each "sN:".
                foreach (Match slot in SlotList().Matches(text["  slots:".Length..]))
                {
                    if (Number(slot.Groups[1].Value, 's') != function.Slots.Count)
                        throw Error($"slots must be numbered in order; expected s{function.Slots.Count}");
                    function.Slots.Add(Type(slot.Groups[2].Value));
                }
                return;
            }
            if (text == "  constructor")
            {
                function.IsConstructor = true;
                return;
            }
            if (text == "  dispatch")
            {
                function.IsDispatch = true;
                return;
            }
            if (text.StartsWith("  borrowed:", StringComparison.Ordinal))
            {
                foreach (string slot in text["  borrowed:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    function.BorrowedSlots.Add(Number(slot, 's'));
                return;
            }
            if (text.StartsWith("  names: ", StringComparison.Ordinal))
            {
                foreach (string named in SplitList(text["  names: ".Length..]))
                {
                    int space = named.IndexOf(' ', StringComparison.Ordinal);
                    function.SlotNames[Number(named[..space], 's')] = named[(space + 1)..];
                }
                return;
            }
            if (text.StartsWith("  parallel: ", StringComparison.Ordinal))
            {
                Parallel(function, text["  parallel: ".Length..]);
                return;
            }
            if (text.StartsWith("  prange: ", StringComparison.Ordinal))
            {
                foreach (string loop in SplitList(text["  prange: ".Length..]))
                {
                    Match form = Regex.Match(loop, @"^(s\d+) end (s\d+) at (\S+)( vouched)?$");
                    if (!form.Success)
                        throw Error($"expected 'sN end sM at location [vouched]', got '{loop}'");
                    function.PrangeCursors[Number(form.Groups[1].Value, 's')] =
                        (Number(form.Groups[2].Value, 's'), Location(form.Groups[3].Value), form.Groups[4].Success);
                }
                return;
            }
            if (text.StartsWith("  disjoint:", StringComparison.Ordinal))
            {
                foreach (string offset in text["  disjoint:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    function.DisjointPrangeLoops.Add(Location(offset) is { IlOffset: >= 0 } at ? at.IlOffset : throw Error($"expected IL_xxxx, got '{offset}'"));
                return;
            }
            if (BlockHeader().Match(text) is { Success: true } blockHeader)
            {
                if (Number(blockHeader.Groups[1].Value, "block") != function.Blocks.Count)
                    throw Error($"blocks must be numbered in order; expected block{function.Blocks.Count}");
                block = function.NewBlock(0);
                if (blockHeader.Groups[3].Success)
                    block.Handler = new BlockId(Number(blockHeader.Groups[3].Value, "block"));
                foreach (string parameter in SplitList(blockHeader.Groups[2].Value))
                {
                    int colon = parameter.IndexOf(':', StringComparison.Ordinal);
                    if (colon < 0)
                        throw Error($"block parameter '{parameter}' has no type");
                    block.Parameters.Add(Define(parameter[..colon], Type(parameter[(colon + 1)..].Trim())));
                }
                return;
            }
            if (block is null)
                throw Error($"expected a block, got '{text}'");
            if (InstructionLine().Match(text) is not { Success: true } instruction)
                throw Error($"cannot read instruction '{text.Trim()}'");
            block.Instructions.Add(Instruction(instruction));
        }

        /// <summary><c>type NAME = { T F @offset, … } size N align A</c>: the aggregate, made by the module's type context, whose layout must be the one printed.</summary>
        void Aggregate(string text)
        {
            Match form = Regex.Match(text, @"^type (\S+) = \{ (.*) \} size (\d+) align (\d+)( simd)?$");
            if (!form.Success)
                throw Error($"expected 'type NAME = {{ T F @offset, … }} size N align A[ simd]', got '{text}'");
            var fields = new List<(string Name, IrType Type)>();
            var offsets = new List<int>();
            foreach (string field in SplitList(form.Groups[2].Value))
            {
                Match parts = Regex.Match(field, @"^(.+) (\S+) @(\d+)$");
                if (!parts.Success)
                    throw Error($"expected a field 'type name @offset', got '{field}'");
                fields.Add((parts.Groups[2].Value, Type(parts.Groups[1].Value)));
                offsets.Add(int.Parse(parts.Groups[3].Value, CultureInfo.InvariantCulture));
            }
            AggregateLayout layout;
            try
            {
                layout = form.Groups[5].Success && fields.Count > 0
                    ? module.Types.VectorOf(form.Groups[1].Value, fields[0].Type, fields.Count).Aggregate!
                    : module.Types.AggregateOf(form.Groups[1].Value, fields, offsets, int.Parse(form.Groups[3].Value, CultureInfo.InvariantCulture)).Aggregate!;
            }
            catch (ArgumentException e)
            {
                throw Error(e.Message);
            }
            if (layout.Alignment.ToString(CultureInfo.InvariantCulture) != form.Groups[4].Value)
                throw Error($"aggregate {layout.Name} is aligned to {layout.Alignment}, not as written");
            if (layout.ToString() != text[text.IndexOf('{', StringComparison.Ordinal)..])
                throw Error($"aggregate {layout.Name} is {layout}, not as written"); // a vector's lanes, or a vector written as a struct
        }

        /// <summary>Dispatch functions and the names of their loop bodies, resolved once every function is read.</summary>
        public List<(IrFunction Dispatch, string Body, int Line)> ParallelBodies { get; } = [];

        /// <summary><c>body NAME, captures N, reductions [op type, …] at location</c>.</summary>
        void Parallel(IrFunction dispatch, string text)
        {
            Match form = Regex.Match(text, @"^body (\S+), captures (\d+), reductions \[(.*)\] at (\S+)$");
            if (!form.Success)
                throw Error($"expected 'body NAME, captures N, reductions [...] at location', got '{text}'");
            var reductions = new List<Reduction>();
            foreach (string reduction in SplitList(form.Groups[3].Value))
            {
                string[] parts = reduction.Split(' ');
                if (parts.Length != 2 || !Enum.TryParse(parts[0], ignoreCase: true, out ReductionOp op))
                    throw Error($"expected a reduction 'op type', got '{reduction}'");
                reductions.Add(new Reduction(op, Type(parts[1])));
            }
            dispatch.ParallelLoop = new ParallelLoop(-1, int.Parse(form.Groups[2].Value, CultureInfo.InvariantCulture), reductions, Location(form.Groups[4].Value));
            ParallelBodies.Add((dispatch, form.Groups[1].Value, line));
        }

        ValueId Define(string name, IrType type)
        {
            int index = Number(name, 'v');
            while (function!.ValueTypes.Count <= index)
                function.ValueTypes.Add(IrType.Void);
            function.ValueTypes[index] = type;
            return new ValueId(index);
        }

        int Number(string text, char prefix) => Number(text, prefix.ToString());

        int Number(string text, string prefix) =>
            text.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(text.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int n)
                ? n : throw Error($"expected {prefix}N, got '{text}'");

        ValueId Value(string text) => new(Number(text.Trim(), 'v'));

        IrType Type(string text)
        {
            text = text.Trim();
            if (text.StartsWith("ref ", StringComparison.Ordinal))
                return module.Types.ByRefTo(Type(text[4..]));
            if (text.EndsWith(']'))
            {
                int open = text.LastIndexOf('[');
                return module.Types.ArrayOf(Type(text[..open]), text.Length - open - 1);
            }
            if (Named.TryGetValue(text, out IrType? named))
                return named;
            if (text == "string")
                return module.Types.String;
            if (module.Types.AggregateNamed(text) is { } aggregate)
                return aggregate;
            Type? clr = resolveClass(text);
            if (clr is null || !module.Types.IsJitClass(clr))
                throw Error($"'{text}' is not a type (nor a jit class this file's classes name)");
            return module.Types.InstanceOf(clr);
        }

        /// <summary>The types the printer names by kind: scalars, void, and null.</summary>
        static readonly Dictionary<string, IrType> Named = new IrType[]
        {
            IrType.Void, IrType.Bool, IrType.Char, IrType.I8, IrType.U8, IrType.I16, IrType.U16, IrType.I32, IrType.U32,
            IrType.I64, IrType.U64, IrType.NInt, IrType.NUInt, IrType.F32, IrType.F64, IrType.Null,
        }.ToDictionary(t => t.ToString());

        /// <summary>A comma-separated list, commas inside brackets or parentheses excepted (<c>f64[,]</c>, <c>block1(v1, v2)</c>).</summary>
        static List<string> SplitList(string text)
        {
            var items = new List<string>();
            int depth = 0, start = 0;
            for (int n = 0; n < text.Length; n++)
            {
                if (text[n] is '(' or '[')
                    depth++;
                else if (text[n] is ')' or ']')
                    depth--;
                else if (text[n] == ',' && depth == 0)
                {
                    items.Add(text[start..n].Trim());
                    start = n + 1;
                }
            }
            if (text.Trim().Length > 0)
                items.Add(text[start..].Trim());
            return items;
        }

        Instruction Instruction(Match m)
        {
            ValueId? result = m.Groups[1].Success ? Define(m.Groups[1].Value, Type(m.Groups[2].Value)) : null;
            IrType type = result is { } r ? function!.TypeOf(r) : IrType.Void;
            string[] parts = m.Groups[3].Value.Split('.', 2);
            string suffix = parts.Length > 1 ? parts[1] : "";
            Opcode op = Enum.TryParse(parts[0].Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out Opcode parsed) && !int.TryParse(parts[0], out _)
                ? parsed : throw Error($"unknown opcode '{parts[0]}'");
            string body = m.Groups[4].Success ? m.Groups[4].Value : "";
            SourceLocation location = Location(m.Groups[5].Value);
            RefcountReason? reason = null;
            if (m.Groups[6].Success)
                reason = RefcountReason.Parse(m.Groups[6].Value) ?? throw Error($"unknown refcount reason '{m.Groups[6].Value}'");
            ValueId[] Operands(string list) => SplitList(list).Select(Value).ToArray();
            switch (op)
            {
                case Opcode.Const:
                    {
                        IrType constType = Type(suffix);
                        return constType.IsFloat
                            ? new(op, type, result, [], location) { FloatConstant = double.Parse(body, CultureInfo.InvariantCulture) }
                            : new(op, type, result, [], location) { Constant = long.Parse(body, CultureInfo.InvariantCulture) };
                    }
                case Opcode.LoadSlot or Opcode.SlotAddress:
                    return new(op, type, result, [], location) { Slot = Number(body, 's') };
                case Opcode.StoreSlot:
                    {
                        List<string> items = SplitList(body);
                        return new(op, type, result, [Value(items[1])], location) { Slot = Number(items[0], 's') };
                    }
                case Opcode.Compare:
                    return new(op, type, result, Operands(body), location) { Condition = Enum.Parse<Condition>(suffix, ignoreCase: true) };
                case Opcode.Convert:
                    {
                        int to = body.LastIndexOf(" to ", StringComparison.Ordinal);
                        return new(op, type, result, Operands(body[..to]), location)
                        {
                            TargetType = Type(body[(to + 4)..]),
                            Checked = suffix.Split('.').Contains("ovf"),
                            SourceUnsigned = suffix.Split('.').Contains("un"),
                        };
                    }
                case Opcode.Call:
                    {
                        int open = body.IndexOf('(', StringComparison.Ordinal);
                        var call = new Instruction(op, type, result, Operands(body[(open + 1)..^1]), location);
                        calls.Add((call, body[..open], line));
                        return call;
                    }
                case Opcode.MathCall:
                    {
                        int open = body.IndexOf('(', StringComparison.Ordinal);
                        return new(op, type, result, Operands(body[(open + 1)..^1]), location)
                        {
                            TargetType = Type(suffix),
                            Math = Enum.Parse<MathFunction>(body[..open]),
                        };
                    }
                case Opcode.LoadElement or Opcode.StoreElement or Opcode.ElementAddress:
                    {
                        bool unchecked_ = suffix.StartsWith("unchecked.", StringComparison.Ordinal);
                        return new(op, type, result, Operands(body), location)
                        {
                            TargetType = Type(unchecked_ ? suffix["unchecked.".Length..] : suffix),
                            BoundsChecked = !unchecked_,
                        };
                    }
                case Opcode.NewArray or Opcode.LoadIndirect or Opcode.StoreIndirect:
                    return new(op, type, result, Operands(body), location) { TargetType = Type(suffix) };
                case Opcode.Jump:
                    return new(op, type, result, [], location) { Targets = [Target(body)] };
                case Opcode.Branch:
                    {
                        List<string> items = SplitList(body);
                        return new(op, type, result, [Value(items[0])], location) { Targets = [Target(items[1]), Target(items[2])] };
                    }
                case Opcode.Switch:
                    {
                        List<string> items = SplitList(body);
                        string cases = items[1].Trim();
                        BlockTarget[] targets = [.. SplitList(cases[1..^1]).Select(Target), Target(items[2].Trim()["default ".Length..])];
                        return new(op, type, result, [Value(items[0])], location) { Targets = targets };
                    }
                case Opcode.Raise:
                    return new(op, type, result, [], location) { Exception = Raise(body) };
                case Opcode.Catches:
                    {
                        bool exactly = body.StartsWith("exactly ", StringComparison.Ordinal);
                        return new(op, type, result, [], location) { Exception = Raise(exactly ? body["exactly ".Length..] : body), Constant = exactly ? 1 : 0 };
                    }
                case Opcode.Intrinsic:
                    {
                        // intrinsic Kind[.type][[length]] ["text"] operands…
                        Match form = Regex.Match(body, @"^(\w+)(?:\.([^\s\[]+))?(?:\[(\d+)\])?\s*(""(?:[^""\\]|\\.)*"")?\s*(.*)$");
                        if (!form.Success || !Enum.TryParse(form.Groups[1].Value, out IntrinsicKind kind))
                            throw Error($"unknown intrinsic '{body}'");
                        return new(op, type, result, Operands(form.Groups[5].Value), location)
                        {
                            Intrinsic = kind,
                            Text = form.Groups[4].Success ? System.Text.Json.JsonSerializer.Deserialize<string>(form.Groups[4].Value) : null,
                            TargetType = form.Groups[2].Success ? Type(form.Groups[2].Value) : null,
                            Constant = form.Groups[3].Success ? long.Parse(form.Groups[3].Value, CultureInfo.InvariantCulture) : 0,
                            BoundsChecked = suffix != "unchecked",
                        };
                    }
                case Opcode.LoadField or Opcode.StoreField or Opcode.FieldAddress:
                    {
                        List<string> items = SplitList(body);
                        return new(op, type, result, items.Skip(1).Select(Value).ToArray(), location) { TargetType = Type(suffix), Field = Field(items[0]) };
                    }
                case Opcode.ExtractMember or Opcode.MemberAddress:
                    {
                        List<string> items = SplitList(body);
                        int dot = items[0].LastIndexOf('.');
                        AggregateLayout owner = (dot > 0 ? module.Types.AggregateNamed(items[0][..dot])?.Aggregate : null)
                            ?? throw Error($"'{items[0]}' names no field of an aggregate declared above");
                        int index = owner.IndexOf(items[0][(dot + 1)..]);
                        if (index < 0)
                            throw Error($"{owner.Name} has no field '{items[0][(dot + 1)..]}'");
                        return new(op, type, result, items.Skip(1).Select(Value).ToArray(), location) { TargetType = Type(suffix), Constant = index };
                    }
                case Opcode.NewInstance or Opcode.ConstNull or Opcode.Rethrow:
                    return new(op, type, result, [], location);
                case Opcode.SaveException or Opcode.RestoreException:
                    return new(op, type, result, [], location) { Constant = Number(body, '#') };
                case Opcode.Add:
                    return new(op, type, result, Operands(body), location) { NoSignedWrap = suffix == "nsw" };
                case Opcode.Simd:
                    {
                        // simd Op operands…
                        int space = body.IndexOf(' ', StringComparison.Ordinal);
                        string name = space < 0 ? body : body[..space];
                        if (!Enum.TryParse(name, out SimdOp simd) || int.TryParse(name, out _))
                            throw Error($"unknown simd operation '{name}'");
                        return new(op, type, result, Operands(space < 0 ? "" : body[(space + 1)..]), location) { Simd = simd };
                    }
                case Opcode.Incref or Opcode.Decref:
                    return new(op, type, result, Operands(body), location) { Reason = reason };
                case Opcode.Sub or Opcode.Mul or Opcode.Div or Opcode.DivUn or Opcode.Rem or Opcode.RemUn
                    or Opcode.And or Opcode.Or or Opcode.Xor or Opcode.Shl or Opcode.Shr or Opcode.ShrUn or Opcode.Neg or Opcode.Not
                    or Opcode.AddOvf or Opcode.AddOvfUn or Opcode.SubOvf or Opcode.SubOvfUn or Opcode.MulOvf or Opcode.MulOvfUn
                    or Opcode.ArrayLength or Opcode.ArrayDimension or Opcode.CheckNull or Opcode.Return or Opcode.ClassOf or Opcode.AsInstance:
                    return new(op, type, result, Operands(body), location);
                case Opcode.CastInstance:
                    return new(op, type, result, Operands(body), location) { Checked = suffix == "checked" };
            }
            throw Error($"cannot read {op}");
        }

        BlockTarget Target(string text)
        {
            int open = text.IndexOf('(', StringComparison.Ordinal);
            if (open < 0 || !text.EndsWith(')'))
                throw Error($"expected blockN(values), got '{text}'");
            return new BlockTarget(new BlockId(Number(text[..open], "block")), SplitList(text[(open + 1)..^1]).Select(Value).ToArray());
        }

        RaiseInfo Raise(string text)
        {
            int open = text.IndexOf('(', StringComparison.Ordinal);
            string name = open < 0 ? text : text[..open];
            int index = RaiseInfo.Types.ToList().FindIndex(t => t.Name == name);
            if (index < 0)
                throw Error($"'{name}' is not an exception compiled code raises");
            if (open >= 0 && !(text[open..].StartsWith("(\"", StringComparison.Ordinal) && text.EndsWith("\")", StringComparison.Ordinal)))
                throw Error($"'{text}': only exceptions with no argument or one constant string can be read from text");
            return new RaiseInfo(index, open < 0 ? null : text[(open + 2)..^2]);
        }

        FieldInfo Field(string text)
        {
            int dot = text.LastIndexOf('.');
            Type owner = resolveClass(text[..dot]) ?? throw Error($"no class '{text[..dot]}'");
            return owner.GetField(text[(dot + 1)..], BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                ?? throw Error($"{owner.Name} has no field '{text[(dot + 1)..]}'");
        }

        SourceLocation Location(string text)
        {
            if (text.StartsWith("IL_", StringComparison.Ordinal))
                return new SourceLocation(int.Parse(text.AsSpan(3), NumberStyles.HexNumber, CultureInfo.InvariantCulture), null, 0);
            int colon = text.LastIndexOf(':');
            return colon > 0 && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int lineNumber)
                ? new SourceLocation(-1, text[..colon], lineNumber)
                : throw Error($"expected a location (IL_xxxx or File.cs:line), got '{text}'");
        }
    }
}
