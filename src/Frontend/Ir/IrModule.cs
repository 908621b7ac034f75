namespace Targets.Frontend.Ir;

/// <summary>An entry function and every function it reaches, compiled together. Function 0 is the entry.</summary>
public sealed class IrModule
{
    public List<IrFunction> Functions { get; } = [];

    public IrFunction Entry => Functions[0];

    public override string ToString() => IrPrinter.Print(this);
}
