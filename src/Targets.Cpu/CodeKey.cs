using System.Reflection;

namespace Targets.Cpu;

/// <summary>
/// What compiled code is looked up by in this process: a method, its options, and what else
/// decides the code (a layout context, a target kind, a target). A class rather than a tuple:
/// .NET precompiles dictionaries keyed by classes (ReadyToRun), while each tuple key makes it
/// JIT-compile that dictionary's methods on first use — ~3.5 ms per dictionary in a fresh process,
/// on the path of every first call.
/// </summary>
internal sealed record CodeKey<TMethod, TScope>(TMethod Method, CompileOptions Options, TScope Scope)
    where TMethod : MethodBase
    where TScope : notnull;
