using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>
/// try/catch/finally, as branches: an exception raised in a protected block goes to its
/// <see cref="IrBlock.Handler"/>, the dispatch block of the innermost try around it, which tests the
/// exception's type against each catch clause in order (<see cref="Opcode.Catches"/>: .NET's type
/// hierarchy) and enters the first that matches, or raises it on outwards (<see cref="Opcode.Rethrow"/>).
/// An exception filter (<c>catch … when</c>) is code the dispatch runs in its clause's turn: its
/// <c>endfilter</c> enters the catch or goes on to the next clause, as does anything it raises (.NET
/// takes a filter that throws as false); the exception is put back first. Unlike .NET, whose first pass
/// runs the filters before any finally, a filter here runs after the finally blocks inside its try.
/// A finally body is imported once per way out of its try — each <c>leave</c> target, and the
/// exceptional way, which ends in a rethrow — as a copy whose <c>endfinally</c> goes on where that way
/// goes (a <see cref="FinallyCopy"/>); nested finallys left by one <c>leave</c> chain their copies.
/// Guarantees: every path out of a try runs its finally bodies innermost first, exactly once; a raise
/// inside a handler or a finally goes to the try around that handler. The exception object exists only
/// as what a catch block may rethrow (<c>throw;</c> or <c>throw e;</c>) and test (<c>isinst</c>, as a
/// filter's <c>catch (T e) when</c> does); any other use of it, and catches of types compiled code does
/// not raise, are refused, naming the construct.
/// </summary>
internal sealed partial class IlImporter
{
    /// <summary>A try block and its handlers (one finally, or catch clauses in order), by IL offsets.</summary>
    sealed record TryRegion(int Start, int End, List<ExceptionHandlingClause> Clauses)
    {
        public bool Contains(int offset) => Start <= offset && offset < End;

        public bool Inside(int start, int end) => start <= Start && End <= end;
    }

    /// <summary>
    /// A copy of a finally body, [<paramref name="Start"/>, <paramref name="End"/>): its <c>endfinally</c> goes to
    /// <paramref name="Target"/> in context <paramref name="TargetContext"/>, or raises the exception on when
    /// <paramref name="Target"/> is -1. <paramref name="Parent"/>: the context it was entered from.
    /// </summary>
    sealed record FinallyCopy(int Start, int End, int Target, int TargetContext, int Parent);

    readonly List<TryRegion> regions = [];

    /// <summary>Import contexts: 0 is the method's own code, the others copies of finally bodies.</summary>
    readonly List<FinallyCopy?> contexts = [null];

    readonly Dictionary<FinallyCopy, int> contextOf = [];

    readonly Dictionary<(TryRegion, int), IrBlock> dispatches = [];

    /// <summary>The number each dispatch keeps its exception under (save_exception / restore_exception).</summary>
    readonly Dictionary<(TryRegion, int), int> keptOf = [];

    /// <summary>Where catch blocks begin, with the type each catches: they start with the exception on the stack.</summary>
    readonly Dictionary<int, Type> catchesAt = [];

    /// <summary>Where the dispatch goes on after a filter (the next clause's test), by filter and context.</summary>
    readonly Dictionary<(ExceptionHandlingClause, int), IrBlock> afterFilter = [];

    /// <summary>Blocks entered with a caught exception on the stack (a filter's branches), by offset and context: the stack's shape, null for a value.</summary>
    readonly Dictionary<(int, int), Type?[]> caughtOnEntry = [];

    /// <summary>Locals that hold a caught exception (a catch block's variable): no storage, only what may be rethrown.</summary>
    readonly Dictionary<int, Type> caughtSlots = [];

    /// <summary>The context of the block being imported.</summary>
    int context;

    /// <summary>Reads the method's exception clauses into try regions, refusing what compiled code cannot handle yet.</summary>
    void ReadExceptionRegions(MethodBody body)
    {
        foreach (ExceptionHandlingClause clause in body.ExceptionHandlingClauses)
        {
            if (clause.Flags == ExceptionHandlingClauseOptions.Fault)
                throw Error(CompilationErrorKind.UnsupportedConstruct, "a fault block", "C# writes try/finally: use that", clause.HandlerOffset);
            if (clause.Flags == ExceptionHandlingClauseOptions.Clause)
                _ = CaughtType(clause);
            TryRegion? region = regions.Find(r => r.Start == clause.TryOffset && r.End == clause.TryOffset + clause.TryLength);
            if (region is null)
                regions.Add(new TryRegion(clause.TryOffset, clause.TryOffset + clause.TryLength, [clause]));
            else
                region.Clauses.Add(clause);
        }
        foreach (TryRegion region in regions)
        {
            leaders.Add(region.Start);
            leaders.Add(region.End);
            foreach (ExceptionHandlingClause clause in region.Clauses)
            {
                leaders.Add(clause.HandlerOffset);
                leaders.Add(clause.HandlerOffset + clause.HandlerLength);
                if (clause.Flags == ExceptionHandlingClauseOptions.Clause)
                    catchesAt[clause.HandlerOffset] = CaughtType(clause);
                if (clause.Flags == ExceptionHandlingClauseOptions.Filter)
                {
                    leaders.Add(clause.FilterOffset);
                    catchesAt[clause.FilterOffset] = typeof(Exception); // the filter tests it (isinst), then the catch has it
                    catchesAt[clause.HandlerOffset] = typeof(Exception);
                }
            }
        }
    }

    /// <summary>The exception type a catch clause catches (<c>catch</c> alone catches <see cref="Exception"/>), if compiled code raises it.</summary>
    Type CaughtType(ExceptionHandlingClause clause)
    {
        Type caught = clause.CatchType is { } t && t != typeof(object) ? t : typeof(Exception);
        if (RaiseInfo.IndexOf(caught) < 0)
            throw Error(CompilationErrorKind.UnsupportedConstruct, $"catch ({caught.Name})",
                $"compiled code catches the exception types it raises: {string.Join(", ", RaiseInfo.Types.Select(x => x.Name))}; catch one of those (an exception of another type derived from one is caught as it)",
                clause.HandlerOffset);
        return caught;
    }

    /// <summary>
    /// The innermost try region whose protected block holds <paramref name="offset"/> (regions nest, so the
    /// smallest); with <paramref name="outside"/>, the innermost of those around that region.
    /// </summary>
    TryRegion? InnermostAround(int offset, TryRegion? outside = null) =>
        regions.Where(r => r.Contains(offset) && (outside is null || r != outside && outside.Inside(r.Start, r.End))).MinBy(r => r.End - r.Start);

    /// <summary>
    /// Where a raise at <paramref name="offset"/>, imported in context <paramref name="inContext"/>, goes: the dispatch
    /// of the innermost try around it (made on first need), or null when it leaves the function.
    /// </summary>
    IrBlock? DispatchFor(int offset, int inContext, TryRegion? outside = null)
    {
        TryRegion? region = InnermostAround(offset, outside);
        // A try outside a copied finally body runs in the context the copy was entered from.
        while (region is not null && inContext != 0 && !region.Inside(contexts[inContext]!.Start, contexts[inContext]!.End))
            inContext = contexts[inContext]!.Parent;
        if (region is null)
            return null;
        if (dispatches.TryGetValue((region, inContext), out IrBlock? known))
            return known;
        IrBlock dispatch = function.NewBlock(region.Clauses[0].HandlerOffset);
        dispatches[(region, inContext)] = dispatch;
        int kept = keptOf.Count;
        keptOf[(region, inContext)] = kept;
        // What no clause takes is raised on to the try around this one.
        dispatch.Handler = DispatchFor(region.Start, inContext, outside: region)?.Id;
        IrBlock savedBlock = current;
        List<StackItem> savedStack = stack;
        int savedContext = context;
        current = dispatch;
        stack = [];
        context = inContext;
        // The exception is kept as it arrives: a handler's rethrow puts it back, whatever its body raised and caught since.
        Emit(Opcode.SaveException, IrType.Void, [], constant: kept, offset: region.Clauses[0].HandlerOffset);
        foreach (ExceptionHandlingClause clause in region.Clauses)
        {
            if (clause.Flags == ExceptionHandlingClauseOptions.Finally)
            {
                int copy = ContextFor(new FinallyCopy(clause.HandlerOffset, clause.HandlerOffset + clause.HandlerLength, -1, 0, inContext));
                Emit(Opcode.Jump, IrType.Void, [], targets: [new BlockTarget(BlockFor(clause.HandlerOffset, [], copy).Id, [])], offset: clause.HandlerOffset);
                break;
            }
            IrBlock next = function.NewBlock(clause.HandlerOffset);
            next.Handler = dispatch.Handler;
            if (clause.Flags == ExceptionHandlingClauseOptions.Filter)
            {
                // The filter runs in this clause's turn; it ends (or raises) into the next clause's test.
                afterFilter[(clause, inContext)] = next;
                Emit(Opcode.Jump, IrType.Void, [], targets: [new BlockTarget(BlockFor(clause.FilterOffset, [], inContext).Id, [])], offset: clause.FilterOffset);
                current = next;
                Emit(Opcode.RestoreException, IrType.Void, [], constant: kept, offset: clause.FilterOffset); // what the filter raised is dropped
                continue;
            }
            ValueId caught = Emit(Opcode.Catches, IrType.I32, [], exception: new RaiseInfo(RaiseInfo.IndexOf(CaughtType(clause)), null), offset: clause.HandlerOffset);
            Emit(Opcode.Branch, IrType.Void, [caught], targets: [new BlockTarget(BlockFor(clause.HandlerOffset, [], inContext).Id, []), new BlockTarget(next.Id, [])], offset: clause.HandlerOffset);
            current = next;
        }
        if (current.Terminator is null)
            Emit(Opcode.Rethrow, IrType.Void, [], offset: region.Clauses[^1].HandlerOffset);
        current = savedBlock;
        stack = savedStack;
        context = savedContext;
        return dispatch;
    }

    int ContextFor(FinallyCopy copy)
    {
        if (contextOf.TryGetValue(copy, out int known))
            return known;
        contexts.Add(copy);
        contextOf[copy] = contexts.Count - 1;
        return contexts.Count - 1;
    }

    /// <summary>The filter whose code holds <paramref name="offset"/>, if any.</summary>
    ExceptionHandlingClause? FilterAround(int offset) =>
        regions.SelectMany(r => r.Clauses).FirstOrDefault(c => c.Flags == ExceptionHandlingClauseOptions.Filter && c.FilterOffset <= offset && offset < c.HandlerOffset);

    /// <summary>Where a raise in the block at <paramref name="offset"/> goes: in a filter, on to the next clause; elsewhere, the try around it.</summary>
    IrBlock? HandlerAt(int offset, int inContext) =>
        FilterAround(offset) is { } filter && afterFilter.TryGetValue((filter, inContext), out IrBlock? next) ? next : DispatchFor(offset, inContext);

    /// <summary><c>endfilter</c>: into the catch when the filter's value is true, else on to the next clause.</summary>
    void EndFilter()
    {
        ExceptionHandlingClause filter = FilterAround(instruction.Offset) ?? throw Error(CompilationErrorKind.InvalidIl, "malformed IL", "endfilter outside a filter");
        ValueId accepts = Pop();
        Emit(Opcode.Branch, IrType.Void, [accepts],
            targets: [new BlockTarget(BlockFor(filter.HandlerOffset, [], context).Id, []), new BlockTarget(afterFilter[(filter, context)].Id, [])]);
    }

    /// <summary><c>isinst T</c> of the caught exception: it, tested (a filter's <c>catch (T) when</c>, <c>e is T</c>).</summary>
    void IsCaught()
    {
        PopItem();
        Type tested = ResolveType(instruction.Token);
        if (RaiseInfo.IndexOf(tested) < 0)
            throw Unsupported($"testing the caught exception for {tested.Name}",
                $"compiled code tells apart the exception types it raises: {string.Join(", ", RaiseInfo.Types.Select(x => x.Name))}");
        (TryRegion region, int inContext) = Handling();
        Emit(Opcode.RestoreException, IrType.Void, [], constant: keptOf[(region, inContext)]); // what the catch block raised and caught since is not it
        ValueId test = Emit(Opcode.Catches, IrType.I32, [], exception: new RaiseInfo(RaiseInfo.IndexOf(tested), null));
        stack.Add(new StackItem(test, Caught: tested, CaughtTested: true));
    }

    /// <summary>
    /// A call on the caught exception: <c>GetType()</c>, kept for a comparison with <c>typeof(T)</c>. Any other
    /// member is refused: compiled code holds no exception object, only what it raised. False when the receiver is
    /// not a caught exception.
    /// </summary>
    bool CaughtMember(MethodBase callee)
    {
        int receiver = stack.Count - callee.GetParameters().Length - 1;
        if (callee.IsStatic || receiver < 0 || stack[receiver].Caught is not { } caught)
            return false;
        if (callee.Name != nameof(GetType) || callee.GetParameters().Length > 0)
            throw Unsupported($"{caught.Name}.{callee.Name} of a caught exception",
                "compiled code has the exception's type (catch (T), e is T, e.GetType() == typeof(T)) and can rethrow it; its other members (Message, …) are not available");
        PopItem();
        stack.Add(new StackItem(default, CaughtType: true));
        return true;
    }

    /// <summary><c>e.GetType() == typeof(T)</c> (or <c>!=</c> when <paramref name="equality"/> is false) of the caught exception.</summary>
    ValueId CaughtIsExactly(Type tested, bool equality)
    {
        if (RaiseInfo.IndexOf(tested) < 0)
            throw Unsupported($"comparing the caught exception's type with {tested.Name}",
                $"compiled code tells the exact types apart of the exceptions it raises: {string.Join(", ", RaiseInfo.Types.Select(x => x.Name))}; use e is {tested.Name}");
        (TryRegion region, int inContext) = Handling();
        Emit(Opcode.RestoreException, IrType.Void, [], constant: keptOf[(region, inContext)]);
        ValueId test = Emit(Opcode.Catches, IrType.I32, [], exception: new RaiseInfo(RaiseInfo.IndexOf(tested), null), constant: 1);
        return equality ? test : Emit(Opcode.Compare, IrType.I32, [test, Emit(Opcode.Const, IrType.I32, [], constant: 0)], condition: Condition.Eq);
    }

    /// <summary>Whether the caught exception on the stack passed its type test (a caught exception not tested is there: true).</summary>
    ValueId CaughtTest(StackItem caught, bool whenTrue)
    {
        ValueId passed = caught.CaughtTested ? caught.Value : Emit(Opcode.Const, IrType.I32, [], constant: 1);
        return whenTrue ? passed : Emit(Opcode.Compare, IrType.I32, [passed, Emit(Opcode.Const, IrType.I32, [], constant: 0)], condition: Condition.Eq);
    }

    /// <summary><c>leave</c>: out of try and catch blocks to the target, through the finally bodies of the tries it leaves, innermost first.</summary>
    void Leave(int target)
    {
        stack.Clear(); // leave empties the evaluation stack
        var left = regions.Where(r => r.Clauses[0].Flags == ExceptionHandlingClauseOptions.Finally && r.Contains(instruction.Offset) && !r.Contains(target))
            .OrderByDescending(r => r.End - r.Start) // outermost first: each copy's endfinally goes on to the next one in
            .ToList();
        (int Offset, int Context) next = (target, context);
        foreach (TryRegion region in left)
        {
            ExceptionHandlingClause clause = region.Clauses[0];
            int copy = ContextFor(new FinallyCopy(clause.HandlerOffset, clause.HandlerOffset + clause.HandlerLength, next.Offset, next.Context, context));
            next = (clause.HandlerOffset, copy);
        }
        Emit(Opcode.Jump, IrType.Void, [], targets: [new BlockTarget(BlockFor(next.Offset, [], next.Context).Id, [])]);
    }

    /// <summary><c>endfinally</c>: on where the way that entered this copy of the finally body goes.</summary>
    void EndFinally()
    {
        if (contexts[context] is not { } copy)
            throw Error(CompilationErrorKind.InvalidIl, "malformed IL", "endfinally outside a finally block");
        if (copy.Target < 0)
            Rethrow(regions.Single(r => r.Clauses[0].HandlerOffset == copy.Start), copy.Parent);
        else
            Emit(Opcode.Jump, IrType.Void, [], targets: [new BlockTarget(BlockFor(copy.Target, [], copy.TargetContext).Id, [])]);
    }

    /// <summary>
    /// <c>throw;</c> (or <c>throw e;</c>) in a catch block: the exception its try's dispatch kept, raised on to the try around.
    /// </summary>
    void RethrowCaught()
    {
        (TryRegion region, int inContext) = Handling();
        Rethrow(region, inContext);
    }

    /// <summary>The try whose catch block or filter holds the instruction being imported, and the context of its dispatch.</summary>
    (TryRegion Region, int Context) Handling()
    {
        int at = instruction.Offset;
        bool Holds(ExceptionHandlingClause c) => c.Flags != ExceptionHandlingClauseOptions.Finally
            && (c.HandlerOffset <= at && at < c.HandlerOffset + c.HandlerLength || c.Flags == ExceptionHandlingClauseOptions.Filter && c.FilterOffset <= at && at < c.HandlerOffset);
        TryRegion region = regions.Where(r => r.Clauses.Any(Holds)).MinBy(r => r.End - r.Start)
            ?? throw Error(CompilationErrorKind.InvalidIl, "malformed IL", "a caught exception used outside a catch block");
        int start = region.Clauses.Where(Holds).Select(c => c.Flags == ExceptionHandlingClauseOptions.Filter && at < c.HandlerOffset ? c.FilterOffset : c.HandlerOffset).First();
        int inContext = context;
        while (inContext != 0 && !(contexts[inContext]!.Start <= start && start < contexts[inContext]!.End))
            inContext = contexts[inContext]!.Parent;
        return (region, inContext);
    }

    /// <summary>Puts back the exception <paramref name="region"/>'s dispatch kept in <paramref name="inContext"/>, and raises it on.</summary>
    void Rethrow(TryRegion region, int inContext)
    {
        if (!keptOf.TryGetValue((region, inContext), out int kept))
            throw Error(CompilationErrorKind.InvalidIl, "malformed IL", "a handler reached without its try's dispatch");
        Emit(Opcode.RestoreException, IrType.Void, [], constant: kept);
        Emit(Opcode.Rethrow, IrType.Void, []);
    }

    /// <summary>A caught exception on the stack: what a catch block starts with, and what its variable holds.</summary>
    static StackItem CaughtItem(Type type) => new(default, Caught: type);

    /// <summary><c>stloc</c> of a caught exception into the catch block's variable (nothing is stored).</summary>
    bool StoreCaught(int slot)
    {
        if (!caughtSlots.TryGetValue(slot, out Type? type))
            return false;
        StackItem item = PopItem();
        if (item.Caught is null)
            throw Unsupported($"storing into an exception variable ({type.Name})", "compiled code has exception objects only as what a catch block catches");
        return true;
    }

    /// <summary><c>ldloc</c> of a catch block's variable: the caught exception, to rethrow.</summary>
    bool LoadCaught(int slot)
    {
        if (!caughtSlots.TryGetValue(slot, out Type? type))
            return false;
        stack.Add(CaughtItem(type));
        return true;
    }
}
