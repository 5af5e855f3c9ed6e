using RecordKv.Testing;

namespace RecordKv.Atproto.Tests.Syntax;

/// <summary>Theory data from the atproto interop lists in <c>shared/fixtures/atproto-interop/syntax</c>, one case per line.</summary>
internal static class InteropSyntaxFixtures
{
    public static TheoryData<string> Lines(string fileName)
    {
        var data = new TheoryData<string>();
        foreach (var line in SharedFixtures.ReadInteropLines("atproto-interop", "syntax", fileName))
        {
            data.Add(line);
        }

        return data;
    }
}
