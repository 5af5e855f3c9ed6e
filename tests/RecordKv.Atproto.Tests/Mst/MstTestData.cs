using System.Text;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Mst;

namespace RecordKv.Atproto.Tests.Mst;

/// <summary>Deterministic keys and values for tree tests: realistic <c>collection/rkey</c> keys with TID-like rkeys.</summary>
internal static class MstTestData
{
    private static readonly string[] Collections = ["app.bsky.feed.like", "app.bsky.feed.post", "app.bsky.graph.follow", "app.bsky.feed.repost"];
    private const string TidAlphabet = "234567abcdefghijklmnopqrstuvwxyz";

    public static Cid Value(int n) => Cid.ForRaw(Encoding.UTF8.GetBytes($"record {n}"));

    public static List<string> Keys(int count, int seed)
    {
        var random = new Random(seed);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (keys.Count < count)
        {
            var rkey = new char[13];
            for (var i = 0; i < rkey.Length; i++)
            {
                rkey[i] = TidAlphabet[random.Next(i == 0 ? 16 : TidAlphabet.Length)];
            }

            keys.Add($"{Collections[random.Next(Collections.Length)]}/{new string(rkey)}");
        }

        return [.. keys];
    }

    public static MerkleSearchTree Build(IEnumerable<string> keys) =>
        MerkleSearchTree.Build(keys.Order(StringComparer.Ordinal).Select(k => new MstLeaf(k, Value(k.Length * 31 + k[^1]))));

    public static Cid ValueFor(string key) => Value(key.Length * 31 + key[^1]);
}
