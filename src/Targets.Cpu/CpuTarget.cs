namespace Targets.Cpu;

/// <summary>
/// The cpu target: one core. <see cref="Prange"/> loops run in order and a kernel launch is a
/// loop over its extent, so results are those of plain .NET.
/// </summary>
public sealed class CpuTarget : HostTarget
{
    /// <summary>A target with a layout context of its own.</summary>
    public CpuTarget()
        : this(new LayoutContext())
    {
    }

    /// <summary>A target compiling against <paramref name="layouts"/> (which must represent instances as counted references).</summary>
    public CpuTarget(LayoutContext layouts)
        : base(layouts)
    {
    }

    public override string Name => "cpu";

    private protected override int ParallelWorkers => 0;

    private protected override HostTarget WithLayouts(LayoutContext layouts) => new CpuTarget(layouts);
}
