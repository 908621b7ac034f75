namespace Targets.Fuzz;

/// <summary>
/// Try statements (issue 36), decided by <see cref="handlers"/> apart from the other choices, so that a
/// program without one is the program its seed made before (seed 9720746 gets none): try/catch with a
/// type from .NET's hierarchy (a base type catches what derives from it), a catch's variable, a filter
/// (<c>when</c>) now and then, a rethrow (<c>throw;</c> or <c>throw e;</c>) now and then, try/finally, and
/// try/catch inside try/finally, around
/// blocks that throw, index out of bounds, divide, overflow in checked blocks, call helpers that throw,
/// and leave loops by <c>break</c> and <c>continue</c>. A finally block has no break or continue of an
/// outer loop (C# forbids leaving it). In a Prange body, a try whose catch takes all its block throws
/// (<see cref="PrangeTry"/>).
/// </summary>
internal sealed partial class Generator
{
    readonly Random handlers;

    /// <summary>Whether this program has try statements (a third of them).</summary>
    readonly bool tries;

    int tryDepth;

    static readonly string[] Catchable =
    [
        "IndexOutOfRangeException", "ArithmeticException", "DivideByZeroException", "OverflowException",
        "InvalidOperationException", "ArgumentException", "NotSupportedException", "Exception",
    ];

    Stmt TryStatement(int depth)
    {
        tryDepth++;
        List<Stmt> body = Block(random.Next(1, 4), depth + 1);
        int form = handlers.Next(4);
        Stmt made = form == 0 ? new Stmt("try", [], body, Finally(depth), ElseHeader: "finally") : Catch(body, depth);
        if (form == 3)
            made = new Stmt("try", [], [made], Finally(depth), ElseHeader: "finally");
        tryDepth--;
        return made;
    }

    Stmt Catch(List<Stmt> body, int depth)
    {
        string type = Catchable[handlers.Next(Catchable.Length)];
        string? variable = handlers.Next(3) == 0 ? $"e{names++}" : null;
        // A filter reads a variable only (a generated expression may write, ++), and none goes on a try
        // with a finally inside: .NET runs a filter before the finally blocks inside its try, compiled code after.
        Var? tested = handlers.Next(4) == 0 && !HasFinally(body) ? Visible(Ty.Int).LastOrDefault() : null;
        string filter = tested is null ? "" : $" when ({tested.Name} {(handlers.Next(2) == 0 ? "<" : ">=")} {handlers.Next(-3, 4)})";
        List<Stmt> handler = Block(random.Next(1, 3), depth + 1);
        if (handlers.Next(4) == 0)
            handler.Add(new Stmt($"if ({{0}}) throw{(variable is null ? "" : " " + variable)};", [Expression(Ty.Bool, 2)]));
        return new Stmt("try", [], body, handler, ElseHeader: $"catch ({type}{(variable is null ? "" : " " + variable)}){filter}");
    }

    /// <summary>
    /// A try in a Prange body (written in <see cref="safe"/> mode): its block throws under a condition, sometimes
    /// through a finally, and its catch takes what it throws, so nothing leaves the iteration (an exception leaving
    /// a parallel loop lets the other chunks' writes differ from .NET's run in order).
    /// </summary>
    Stmt PrangeTry(int depth)
    {
        List<Stmt> body = Block(random.Next(1, 3), depth + 1);
        string thrown = handlers.Next(2) == 0 ? "OverflowException" : "DivideByZeroException";
        body.Insert(handlers.Next(body.Count + 1), new Stmt($"if ({{0}}) throw new {thrown}();", [Expression(Ty.Bool, 2)]));
        if (handlers.Next(3) == 0)
            body = [new Stmt("try", [], body, Finally(depth), ElseHeader: "finally")];
        List<Stmt> handler = Block(random.Next(1, 3), depth + 1);
        return new Stmt("try", [], body, handler, ElseHeader: $"catch ({(handlers.Next(2) == 0 ? "ArithmeticException" : "Exception")})");
    }

    static bool HasFinally(List<Stmt> block) =>
        block.Any(s => s.Else is not null && s.ElseHeader == "finally" || s.Body is not null && HasFinally(s.Body) || s.Else is not null && HasFinally(s.Else));

    /// <summary>A finally block: without the enclosing loops (a break or continue may not leave it).</summary>
    List<Stmt> Finally(int depth)
    {
        int loops = loopDepth;
        loopDepth = 0;
        List<Stmt> block = Block(random.Next(1, 3), depth + 1);
        loopDepth = loops;
        return block;
    }
}
