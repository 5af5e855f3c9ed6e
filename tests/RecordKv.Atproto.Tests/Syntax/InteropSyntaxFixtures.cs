using RecordKv.Testing;

namespace RecordKv.Atproto.Tests.Syntax;

/// <summary>Theory data from the atproto interop lists in <c>shared/fixtures/atproto-interop/syntax</c>, one case per distinct line.</summary>
internal static class InteropSyntaxFixtures
{
    // Some lists repeat a line (in different comment sections); xunit would skip the repeat as a duplicate test ID.
    public static TheoryData<string> Lines(string fileName)
    {
        var data = new TheoryData<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in SharedFixtures.ReadInteropLines("atproto-interop", "syntax", fileName))
        {
            if (seen.Add(line))
            {
                data.Add(line);
            }
        }

        return data;
    }
}
