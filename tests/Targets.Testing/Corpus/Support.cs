using System;

namespace Corpus;

/// <summary>
/// Marks a corpus method that is not an entry point of its own (it takes ref/out parameters, or only
/// makes sense called from another corpus method). The differential theory skips it; entries call it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class HelperAttribute : Attribute
{
}
