using System.Buffers.Binary;
using System.Text;
using Targets.Runtime;

namespace Targets.Llvm.Tests;

/// <summary>
/// The NRT runtime's object file built with the compiler: compiled for any x86-64 CPU, and used only
/// by a compiler whose runtime IR is the one it was compiled from.
/// </summary>
public sealed class NrtRuntimeObjectTests
{
    [Fact]
    public void The_portable_runtime_is_an_x86_64_ELF_relocatable_object()
    {
        using TargetMachine machine = NrtRuntimeObject.PortableMachine();
        var timings = new CompileTimings();
        byte[] objectFile = NrtRuntimeObject.Compile(machine, timings);
        Assert.Equal([0x7f, (byte)'E', (byte)'L', (byte)'F'], objectFile[..4]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(objectFile.AsSpan(16))); // ET_REL
        Assert.Equal(62, BinaryPrimitives.ReadUInt16LittleEndian(objectFile.AsSpan(18))); // EM_X86_64
        Assert.Equal("x86-64", machine.Cpu);
        Assert.Contains(timings.Phases, p => p.Phase == "NRT runtime: optimise (default<O2>)");
    }

    [Fact]
    public void A_packed_object_unpacks_to_itself()
    {
        byte[] objectFile = [1, 2, 3, 4, 5];
        Assert.Equal(objectFile, NrtRuntimeObject.Unpack(NrtRuntimeObject.Pack(objectFile)));
    }

    [Fact]
    public void An_object_of_other_runtime_IR_is_refused()
    {
        byte[] packed = NrtRuntimeObject.Pack([1, 2, 3]);
        packed[4 + 10] ^= 0x20; // one character of the IR it claims to be compiled from
        Assert.Null(NrtRuntimeObject.Unpack(packed));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(100)]
    public void A_truncated_pack_is_refused(int length)
    {
        byte[] packed = NrtRuntimeObject.Pack([1, 2, 3]);
        Assert.Null(NrtRuntimeObject.Unpack(packed.AsSpan(0, length)));
    }

    [Fact]
    public void A_pack_whose_IR_length_is_out_of_range_is_refused()
    {
        byte[] ir = Encoding.UTF8.GetBytes(NrtRuntimeIr.Text);
        byte[] packed = NrtRuntimeObject.Pack([1, 2, 3]);
        BinaryPrimitives.WriteInt32LittleEndian(packed, -1);
        Assert.Null(NrtRuntimeObject.Unpack(packed));
        BinaryPrimitives.WriteInt32LittleEndian(packed, ir.Length + 4);
        Assert.Null(NrtRuntimeObject.Unpack(packed));
    }
}
