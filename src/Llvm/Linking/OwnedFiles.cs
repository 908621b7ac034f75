using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Targets.Llvm.Linking;

/// <summary>
/// Reads files whose contents become code in this process (the compile cache's entries) only when
/// nobody else could have written them, as OpenSSH's StrictModes does for <c>~/.ssh</c>: a regular
/// file (never a link, FIFO, device or socket — opened with <c>O_NOFOLLOW | O_NONBLOCK</c>, so
/// neither a link to <c>/dev/zero</c> nor a FIFO can make a read endless), owned by the process's
/// effective user, not writable by its group or others, and no larger than the caller's bound; a
/// directory likewise. x86-64 Linux only (where the project's loader runs): <c>struct stat</c> is
/// read at that ABI's offsets.
/// </summary>
public static unsafe partial class OwnedFiles
{
    const int ReadOnly = 0, NonBlocking = 0x800, DirectoryOnly = 0x10000, NoFollow = 0x20000, CloseOnExec = 0x80000;
    const uint TypeMask = 0xF000, RegularType = 0x8000, DirectoryType = 0x4000, GroupOrOtherWrite = 0x12;

    /// <summary>The file's bytes, or null with <paramref name="why"/> saying what it is instead of an owned regular file of at most <paramref name="maxBytes"/>.</summary>
    public static byte[]? Read(string path, long maxBytes, out string? why)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        int fd = open(path, ReadOnly | NonBlocking | NoFollow | CloseOnExec);
        if (fd < 0)
        {
            why = $"it could not be opened as a file (errno {Marshal.GetLastSystemError()}: a link, a missing file or no permission)";
            return null;
        }
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Status(fd, RegularType, out long size) is { } wrong)
        {
            why = wrong;
            return null;
        }
        if (size > maxBytes)
        {
            why = $"it holds {size} bytes, more than the {maxBytes} an entry may";
            return null;
        }
        var bytes = new byte[size];
        int read = 0;
        while (read < bytes.Length)
        {
            int n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
            if (n <= 0)
                break;
            read += n;
        }
        why = read == bytes.Length ? null : $"it shrank while being read ({read} of {size} bytes)";
        return why is null ? bytes : null;
    }

    /// <summary>Null when <paramref name="path"/> is a directory owned by this user and writable by nobody else; else what is wrong and how to fix it.</summary>
    public static string? CheckDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        int fd = open(path, ReadOnly | DirectoryOnly | CloseOnExec);
        if (fd < 0)
            return $"{path} could not be opened as a directory (errno {Marshal.GetLastSystemError()})";
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        return Status(fd, DirectoryType, out _) is { } wrong ? $"{path}: {wrong} (fix: chown $USER and chmod 700 it, or choose another TARGETS_CACHE_DIR)" : null;
    }

    /// <summary>What is wrong with the open file <paramref name="fd"/> (its type, owner or mode), or null.</summary>
    static string? Status(int fd, uint type, out long size)
    {
        byte* stat = stackalloc byte[144]; // struct stat on x86-64 Linux
        size = 0;
        if (fstat(fd, stat) != 0)
            return $"its status could not be read (errno {Marshal.GetLastSystemError()})";
        uint mode = *(uint*)(stat + 24), owner = *(uint*)(stat + 28);
        size = *(long*)(stat + 48);
        if ((mode & TypeMask) != type)
            return type == RegularType ? "it is not a regular file (a FIFO, device, socket or directory)" : "it is not a directory";
        if (owner != geteuid())
            return $"it is owned by user {owner}, not by this process's user {geteuid()}";
        if ((mode & GroupOrOtherWrite) != 0)
            return $"its group or other users may write it (mode {Convert.ToString(mode & 0x1FF, 8)})";
        return null;
    }

    // Blittable imports of this assembly, as NativeMemory's and SharedLibraries' (see their notes); errno read right after a failure.
    [LibraryImport("libc.so.6", StringMarshalling = StringMarshalling.Utf8)] private static partial int open(string path, int flags);
    [LibraryImport("libc.so.6")] private static partial int fstat(int fd, byte* stat);
    [LibraryImport("libc.so.6")] private static partial uint geteuid();
}
