using RecordKv.Atproto.Car;
using RecordKv.Atproto.Cbor;

namespace RecordKv.Benchmarks;

/// <summary>Real blocks from the shared fixtures (repository exports nobody on this project wrote).</summary>
internal static class RealRecords
{
    /// <summary>The path of a CAR in <c>shared/fixtures/real/repos</c>, found by walking up from the working directory.</summary>
    public static string CarPath(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "fixtures", "real", "repos", file), Path.Combine(dir.FullName, "..", "shared", "fixtures", "real", "repos", file) })
            {
                if (File.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        return Path.Combine("/work/shared/fixtures/real/repos", file);
    }

    /// <summary>The first record of type <paramref name="type"/> with a top-level <paramref name="key"/> in bnewbold's production repository export.</summary>
    public static byte[] Find(string type, string key)
    {
        var car = File.ReadAllBytes(CarPath("bnewbold.robocracy.org.20250310005405.car"));
        foreach (var block in CarReader.ReadAll(car).Blocks)
        {
            if (TypeOf(block.Data.Span, key) == type)
            {
                return block.Data.ToArray();
            }
        }

        throw new InvalidOperationException($"No {type} record in the fixture.");
    }

    /// <summary>The record's <c>$type</c> if it is a map with a top-level <paramref name="key"/>, else null.</summary>
    private static string? TypeOf(ReadOnlySpan<byte> block, string key)
    {
        var reader = new DagCborReader(block);
        if (reader.PeekType() != CborValueType.Map)
        {
            return null;
        }

        string? type = null;
        var hasKey = false;
        var entries = reader.ReadMapHeader();
        for (var i = 0; i < entries; i++)
        {
            var name = reader.ReadText();
            hasKey |= name == key;
            if (name == "$type" && reader.PeekType() == CborValueType.TextString)
            {
                type = reader.ReadText();
            }
            else
            {
                reader.SkipValue();
            }
        }

        return hasKey ? type : null;
    }
}
