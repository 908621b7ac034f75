using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Targets.Llvm.Linking;

/// <summary>
/// An x86-64 ELF relocatable object (what <see cref="TargetMachine.EmitObject"/> makes for the
/// host: PIC, the JIT's large code model) loaded into executable memory without LLVM, so a process
/// whose code all comes from the persistent cache never loads libLLVM (~50 ms). Guarantees: the
/// image is mapped, its allocated sections copied (zeroed for NOBITS) at their alignment, every
/// relocation applied, code made read+execute and read-only data read-only before any address is
/// handed out; an object it does not fully understand (another machine or type, a relocation kind
/// or section kind it does not know, a 32-bit displacement out of range, an unresolved strong
/// symbol) is refused with a <see cref="NotSupportedException"/> or <see cref="InvalidDataException"/>
/// before anything runs, so a caller can compile instead. Every header field, section index, offset
/// and size is checked against the file (without overflow), the symbol and relocation tables are
/// checked to be well formed (linked to a string table and a symbol table, entries whole, symbol
/// indices in range, defined symbols inside their sections), only section kinds LLVM writes are
/// accepted, and the image is bounded (256 MiB): a damaged object cannot make it read or write
/// outside the file or the mapping. A well-formed object with other code in it is another matter: a
/// loader cannot tell it from ours (the cache's ownership rules keep such files out). Unwind tables (<c>.eh_frame</c>) are not
/// registered: compiled code never unwinds (errors return through the exception record).
/// Disposing unmaps the image; its addresses must no longer be called.
/// </summary>
public sealed unsafe class NativeImage : IDisposable
{
    readonly Dictionary<string, nint> exports;
    nint mapping;
    readonly nuint length;

    NativeImage(nint mapping, nuint length, Dictionary<string, nint> exports)
    {
        this.mapping = mapping;
        this.length = length;
        this.exports = exports;
    }

    /// <summary>Whether this host's objects are what the loader reads: x86-64 ELF (Linux).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    /// <summary>The global symbols the object defines, with their addresses.</summary>
    public IReadOnlyDictionary<string, nint> Exports => exports;

    /// <summary>The address of <paramref name="name"/>; <see cref="KeyNotFoundException"/> when the object does not define it.</summary>
    public nint Lookup(string name)
    {
        ObjectDisposedException.ThrowIf(mapping == 0, this);
        return exports.TryGetValue(name, out nint address) ? address : throw new KeyNotFoundException($"The object defines no symbol '{name}'.");
    }

    const ushort RelocatableType = 1, X86_64 = 62;
    const uint Unwind = 0x70000001, ProgBits = 1, SymbolTable = 2, StringTable = 3, Rela = 4, Note = 7, NoBits = 8, Group = 17, InitArray = 14, FiniArray = 15, PreinitArray = 16,
        AddressSignificance = 0x6fff4c03;

    /// <summary>The most an image may map: objects of one call graph are kilobytes to a few megabytes.</summary>
    const ulong MaxImage = 256UL << 20;
    const ulong Write = 1, Alloc = 2, Execute = 4;
    const ushort Undefined = 0, Absolute = 0xfff1, Common = 0xfff2;
    const int Page = 4096;

    readonly record struct Section(string Name, uint Type, ulong Flags, ulong Offset, ulong Size, uint Link, uint Info, ulong Align);

    /// <summary>
    /// Loads <paramref name="elf"/>, resolving each undefined symbol through <paramref name="resolve"/>
    /// (0: unresolved; allowed only for weak references, which become null).
    /// </summary>
    public static NativeImage Load(ReadOnlySpan<byte> elf, Func<string, nint> resolve)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        if (elf.Length < 64 || !elf.StartsWith("\u007fELF"u8) || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("Expected a 64-bit little-endian ELF object.");
        if (U16(elf, 16) != RelocatableType || U16(elf, 18) != X86_64)
            throw new NotSupportedException("Expected an x86-64 relocatable object (ET_REL).");
        Section[] sections = ReadSections(elf);
        int symtabIndex = IndexOf(sections, SymbolTable);
        if (symtabIndex < 0)
            throw new InvalidDataException("The object has no symbol table.");

        // Place the allocated sections: code, then read-only data, then writable data, then the GOT, each group on its own pages.
        var placed = new ulong[sections.Length];
        var loaded = new bool[sections.Length];
        ulong cursor = 0;
        ulong[] groupEnds = new ulong[3];
        for (int group = 0; group < 3; group++)
        {
            for (int i = 0; i < sections.Length; i++)
            {
                Section s = sections[i];
                if ((s.Flags & Alloc) == 0 || s.Size == 0 || s.Type == Unwind || GroupOf(s) != group)
                    continue;
                if (s.Type is InitArray or FiniArray or PreinitArray)
                    throw new NotSupportedException($"Section {s.Name}: static constructors and destructors are not supported.");
                if (s.Type is not (ProgBits or NoBits))
                    throw new NotSupportedException($"Section {s.Name} of type {s.Type} cannot be loaded.");
                if (s.Align > Page || (s.Align & (s.Align - 1)) != 0 || s.Size > MaxImage)
                    throw new InvalidDataException($"Section {s.Name} has an alignment of {s.Align} or a size of {s.Size} no object of ours has.");
                cursor = AlignUp(cursor, Math.Max(1, s.Align));
                placed[i] = cursor;
                loaded[i] = true;
                cursor += s.Size; // each size ≤ MaxImage, at most 65,535 sections: no overflow
            }
            cursor = AlignUp(cursor, Page);
            groupEnds[group] = cursor;
        }
        if (cursor > MaxImage)
            throw new InvalidDataException($"The object's sections take {cursor} bytes, more than an image may ({MaxImage}).");
        if (IndexOf(sections, Group) >= 0)
            throw new NotSupportedException("Section groups (COMDAT) are not supported.");

        Section symtab = sections[symtabIndex];
        Section strtab = sections[(int)symtab.Link];
        if (strtab.Type != StringTable || symtab.Size % 24 != 0 || symtab.Size == 0)
            throw new InvalidDataException("Malformed symbol table.");
        int symbolCount = (int)(symtab.Size / 24);
        var names = new string[symbolCount];
        var gotSlots = new Dictionary<int, int>();
        foreach (Section rela in sections)
        {
            if (rela.Type != Rela)
                continue;
            if (rela.Link != symtabIndex || rela.Size % 24 != 0)
                throw new InvalidDataException($"Malformed relocation section {rela.Name}.");
            if (!loaded[(int)rela.Info])
                continue;
            for (ulong at = rela.Offset; at < rela.Offset + rela.Size; at += 24)
            {
                ulong info = U64(elf, (int)at + 8);
                if (info >> 32 >= (ulong)symbolCount)
                    throw new InvalidDataException($"A relocation of {rela.Name} names symbol {info >> 32} of {symbolCount}.");
                if ((uint)info is 9 or 27 or 28 or 41 or 42 && !gotSlots.ContainsKey((int)(info >> 32)))
                    gotSlots[(int)(info >> 32)] = gotSlots.Count;
            }
        }
        ulong gotOffset = cursor;
        ulong total = AlignUp(cursor + (ulong)Math.Max(1, gotSlots.Count) * 8, Page);

        nint memory = NativeMemory.Map((nuint)total);
        try
        {
            byte* bytes = (byte*)memory;
            for (int i = 0; i < sections.Length; i++)
            {
                if (loaded[i] && sections[i].Type == ProgBits)
                    elf.Slice(Checked(sections[i].Offset, sections[i].Size, elf.Length), (int)sections[i].Size).CopyTo(new Span<byte>(bytes + placed[i], (int)sections[i].Size));
            }

            // Symbols: defined ones at their section's place, undefined ones from the resolver.
            var addresses = new nint[symbolCount];
            var exports = new Dictionary<string, nint>(StringComparer.Ordinal);
            var functions = PerfMap.Enabled ? new List<(nint, ulong, string)>() : null;
            nint got = memory + (nint)gotOffset;
            for (int n = 1; n < symbolCount; n++)
            {
                int entry = Checked(symtab.Offset + (ulong)n * 24, 24, elf.Length);
                string name = names[n] = Name(elf, strtab, U32(elf, entry));
                byte info = elf[entry + 4];
                int binding = info >> 4, kind = info & 0xf;
                ushort index = U16(elf, entry + 6);
                ulong value = U64(elf, entry + 8);
                if (kind == 6)
                    throw new NotSupportedException($"Thread-local symbol '{name}' is not supported.");
                if (index == Common)
                    throw new NotSupportedException($"Common symbol '{name}' is not supported.");
                if (index == Undefined)
                {
                    if (name.Length == 0 || name.Contains('\0', StringComparison.Ordinal))
                        throw new InvalidDataException($"Undefined symbol {n} has no name.");
                    addresses[n] = name == "_GLOBAL_OFFSET_TABLE_" ? got : resolve(name);
                    if (addresses[n] == 0 && binding != 2)
                        throw new InvalidDataException($"Unresolved symbol '{name}'.");
                    continue;
                }
                if (index == Absolute)
                {
                    addresses[n] = (nint)value;
                }
                else if (index < sections.Length && loaded[index])
                {
                    if (value > sections[index].Size)
                        throw new InvalidDataException($"Symbol '{name}' lies past the end of its section.");
                    addresses[n] = memory + (nint)(placed[index] + value);
                }
                else
                {
                    continue; // a symbol of a section not loaded (debug info, unwind tables): nothing refers to it from code
                }
                if (binding is 1 or 2 && kind != 3 && name.Length > 0)
                    exports[name] = addresses[n];
                if (kind == 2)
                    functions?.Add((addresses[n], U64(elf, entry + 16), name));
            }
            foreach ((int symbol, int slot) in gotSlots)
                ((nint*)got)[slot] = addresses[symbol];

            foreach (Section rela in sections)
            {
                if (rela.Type != Rela || !loaded[(int)rela.Info])
                    continue;
                nint target = memory + (nint)placed[(int)rela.Info];
                for (ulong at = rela.Offset; at < rela.Offset + rela.Size; at += 24)
                {
                    int r = Checked(at, 24, elf.Length);
                    ulong offset = U64(elf, r);
                    ulong info = U64(elf, r + 8);
                    long addend = (long)U64(elf, r + 16);
                    int symbol = (int)(info >> 32);
                    ulong width = (uint)info is 1 or 24 or 25 or 27 or 28 or 29 ? 8UL : 4UL;
                    if (symbol >= symbolCount || offset > sections[(int)rela.Info].Size || width > sections[(int)rela.Info].Size - offset)
                        throw new InvalidDataException($"Relocation at {offset} of {rela.Name} is out of range.");
                    Apply((uint)info, (byte*)(target + (nint)offset), addresses[symbol], addend, got,
                        gotSlots.TryGetValue(symbol, out int slot) ? slot * 8L : -1, names[symbol]);
                }
            }

            NativeMemory.Protect(memory, (nuint)groupEnds[0], executable: true, writable: false);
            NativeMemory.Protect(memory + (nint)groupEnds[0], (nuint)(groupEnds[1] - groupEnds[0]), executable: false, writable: false);
            NativeMemory.Protect(memory + (nint)groupEnds[2], (nuint)(total - groupEnds[2]), executable: false, writable: false);
            if (functions is not null)
                PerfMap.Write(functions);
            return new NativeImage(memory, (nuint)total, exports);
        }
        catch
        {
            _ = NativeMemory.Unmap(memory, (nuint)total);
            throw;
        }
    }

    /// <summary>0: code, 1: read-only data, 2: writable data.</summary>
    static int GroupOf(Section s) => (s.Flags & Execute) != 0 ? 0 : (s.Flags & Write) != 0 ? 2 : 1;

    static void Apply(uint type, byte* place, nint symbol, long addend, nint got, long gotSlot, string name)
    {
        long p = (long)place, s = symbol, g = got;
        switch (type)
        {
            case 1: *(long*)place = s + addend; break; // R_X86_64_64
            case 2 or 4: Write32(place, s + addend - p, name); break; // PC32, PLT32 (direct: no PLT)
            case 10: Write32Unsigned(place, s + addend, name); break; // 32
            case 11: Write32(place, s + addend, name); break; // 32S
            case 24: *(long*)place = s + addend - p; break; // PC64
            case 25: *(long*)place = s + addend - g; break; // GOTOFF64
            case 26: Write32(place, g + addend - p, name); break; // GOTPC32
            case 27: *(long*)place = gotSlot + addend; break; // GOT64
            case 28: *(long*)place = g + gotSlot + addend - p; break; // GOTPCREL64
            case 29: *(long*)place = g + addend - p; break; // GOTPC64
            case 9 or 41 or 42: Write32(place, g + gotSlot + addend - p, name); break; // GOTPCREL, GOTPCRELX, REX_GOTPCRELX (the GOT load is kept)
            default: throw new NotSupportedException($"Relocation type {type} (against '{name}') is not supported.");
        }
    }

    static void Write32(byte* place, long value, string name)
    {
        if (value is < int.MinValue or > int.MaxValue)
            throw new NotSupportedException($"A 32-bit relocation against '{name}' is out of range.");
        *(int*)place = (int)value;
    }

    static void Write32Unsigned(byte* place, long value, string name)
    {
        if (value is < 0 or > uint.MaxValue)
            throw new NotSupportedException($"A 32-bit relocation against '{name}' is out of range.");
        *(uint*)place = (uint)value;
    }

    /// <summary>The first section of <paramref name="type"/>, or -1. (Loops rather than LINQ over the <see cref="Section"/> struct: a cache hit runs this in a fresh process, where each generic instantiation over a struct of ours is JIT-compiled first.)</summary>
    static int IndexOf(Section[] sections, uint type)
    {
        for (int i = 0; i < sections.Length; i++)
        {
            if (sections[i].Type == type)
                return i;
        }
        return -1;
    }

    static Section[] ReadSections(ReadOnlySpan<byte> elf)
    {
        ulong tableOffset = U64(elf, 40);
        int entrySize = U16(elf, 58), count = U16(elf, 60), namesIndex = U16(elf, 62);
        if (entrySize != 64 || count == 0 || namesIndex >= count)
            throw new InvalidDataException("Malformed section header table.");
        var raw = new (uint Name, uint Type, ulong Flags, ulong Offset, ulong Size, uint Link, uint Info, ulong Align)[count];
        for (int i = 0; i < count; i++)
        {
            int h = Checked(tableOffset + (ulong)i * 64, 64, elf.Length);
            raw[i] = (U32(elf, h), U32(elf, h + 4), U64(elf, h + 8), U64(elf, h + 24), U64(elf, h + 32), U32(elf, h + 40), U32(elf, h + 44), U64(elf, h + 48));
            if (raw[i].Type != NoBits && raw[i].Type != 0)
                Checked(raw[i].Offset, raw[i].Size, elf.Length);
        }
        var names = raw[namesIndex];
        if (names.Type != StringTable)
            throw new InvalidDataException("The section names are not a string table.");
        var sections = new Section[count];
        for (int i = 0; i < count; i++)
        {
            var r = raw[i];
            if ((r.Type == Rela || r.Type == SymbolTable) && (r.Info >= count && r.Type == Rela || r.Link >= count || r.Link == 0))
                throw new InvalidDataException("Malformed section link.");
            // Only the kinds LLVM writes for the host; anything else was not written by this compiler.
            if (r.Type is not (0 or ProgBits or SymbolTable or StringTable or Rela or Note or NoBits or Group or InitArray or FiniArray or PreinitArray or Unwind or AddressSignificance))
                throw new NotSupportedException($"Section {i} has type {r.Type:x}, which no object of ours has.");
            string name = Name(elf, new Section("", 0, 0, names.Offset, names.Size, 0, 0, 0), r.Name);
            sections[i] = new Section(name, r.Type, r.Flags, r.Offset, r.Size, r.Link, r.Info, r.Align);
        }
        return sections;
    }

    static string Name(ReadOnlySpan<byte> elf, Section table, uint offset)
    {
        if (offset >= table.Size)
            return "";
        ReadOnlySpan<byte> rest = elf.Slice(Checked(table.Offset, table.Size, elf.Length), (int)table.Size)[(int)offset..];
        int end = rest.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? rest : rest[..end]);
    }

    /// <summary>The start of [offset, offset + size) as an int, after checking it lies within the object.</summary>
    static int Checked(ulong offset, ulong size, int length) =>
        offset <= (ulong)length && size <= (ulong)length - offset ? (int)offset : throw new InvalidDataException("The object is truncated or malformed.");

    static ushort U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);
    static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);
    static ulong U64(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b[at..]);
    static ulong AlignUp(ulong value, ulong align) => (value + align - 1) / align * align;

    public void Dispose()
    {
        nint memory = Interlocked.Exchange(ref mapping, 0);
        if (memory != 0)
            _ = NativeMemory.Unmap(memory, length);
    }
}

/// <summary>Pages for loaded code: <c>mmap</c>, <c>mprotect</c>, <c>munmap</c> from the C library.</summary>
internal static partial class NativeMemory
{
    const int ProtRead = 1, ProtWrite = 2, ProtExec = 4, MapPrivate = 2, MapAnonymous = 0x20;

    public static nint Map(nuint length)
    {
        nint memory = mmap(0, length, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        return memory == -1 ? throw new InvalidOperationException($"mmap of {length} bytes failed (errno {Marshal.GetLastSystemError()}).") : memory;
    }

    public static void Protect(nint memory, nuint length, bool executable, bool writable)
    {
        if (length == 0)
            return;
        if (mprotect(memory, length, ProtRead | (executable ? ProtExec : 0) | (writable ? ProtWrite : 0)) != 0)
            throw new InvalidOperationException($"mprotect failed (errno {Marshal.GetLastSystemError()}).");
    }

    /// <summary>Unmaps; a failure (only for a range that was never mapped) would be a bug here, and leaves the pages mapped.</summary>
    public static bool Unmap(nint memory, nuint length) => munmap(memory, length) == 0;

    // Without SetLastError: blittable imports of this assembly are then called directly from its
    // ReadyToRun code, while SetLastError costs two marshalling stubs JIT-compiled in every process
    // (~1 ms on a cache hit's first call). errno is read right after a failure instead: it only
    // goes into the message, and a GC between the call and the read could, rarely, change it.
    [LibraryImport("libc.so.6")] private static partial nint mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);
    [LibraryImport("libc.so.6")] private static partial int mprotect(nint address, nuint length, int protection);
    [LibraryImport("libc.so.6")] private static partial int munmap(nint address, nuint length);
}
