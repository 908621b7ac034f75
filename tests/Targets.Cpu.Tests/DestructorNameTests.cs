#pragma warning disable CA1051 // jit classes are made of public fields
using Targets.Cpu.Host;

namespace Targets.Cpu.Tests;

[JitClass]
public sealed class DtorLink
{
    public int Value;
    public DtorLink? Next;
    public double[]? Data;
}

[JitClass]
public sealed class DtorPlain
{
    public int Value;
    public double Weight;
}

/// <summary>Destructor symbols come from what the destructor does, so native code can link across processes.</summary>
public sealed class DestructorNameTests
{
    [Fact]
    public void The_same_layout_has_the_same_destructor_symbol_and_another_layout_another()
    {
        JitClassType a = JitClass.Define<DtorLink>(), b = JitClass.Define<DtorLink>();
        Assert.Equal(InstanceDestructors.NameOf(a), InstanceDestructors.NameOf(b));
        Assert.Equal(InstanceDestructors.NameOf(a), InstanceDestructors.NameOf(a)); // no counter in it
        Assert.NotEqual(InstanceDestructors.NameOf(a), InstanceDestructors.NameOf(JitClass.Define<DtorPlain>()));
        Assert.StartsWith("dtor.", InstanceDestructors.NameOf(a));
        Assert.EndsWith(".DtorLink", InstanceDestructors.NameOf(a));
    }

    [Fact]
    public void Two_defines_of_one_class_share_a_destructor_and_both_free_their_instances()
    {
        NrtStats before = Nrt.GetAllocationStats();
        var cpu = new CpuTarget();
        using (JitObject first = cpu.New(JitClass.Define<DtorLink>()))
        using (JitObject second = cpu.New(JitClass.Define<DtorLink>()))
        {
            first.Set("Next", null);
            Assert.Equal(0, second.Get<int>("Value"));
        }
        Assert.True(Nrt.GetAllocationStats().Since(before).IsBalanced);
    }
}
