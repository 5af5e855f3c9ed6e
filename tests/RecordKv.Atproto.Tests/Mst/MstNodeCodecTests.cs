using System.Text;
using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Mst;

namespace RecordKv.Atproto.Tests.Mst;

public sealed class MstNodeCodecTests
{
    // Interop example keys: A0/374913 has height 0, B2/827649 height 2, C0/451630 height 0.
    private const string Layer0Key = "A0/374913";
    private const string Layer0Later = "C0/451630";
    private const string Layer2Key = "B2/827649";
    private static readonly Cid Value = Cid.ForRaw("value"u8);

    public static TheoryData<string, byte[]> MalformedRoots() => new()
    {
        { "not a map", [0x80] },
        { "map of three fields", Concat([0xa3], Text("e"), [0x80], Text("l"), [0xf6], Text("x"), [0xf6]) },
        { "fields out of order", Concat([0xa2], Text("l"), [0xf6], Text("e"), [0x80]) },
        { "non-minimal array length", Concat([0xa2], Text("e"), [0x98, 0x00], Text("l"), [0xf6]) },
        { "indefinite-length array", Concat([0xa2], Text("e"), [0x9f, 0xff], Text("l"), [0xf6]) },
        { "trailing byte", Concat(Node([(Layer0Key, 0, null)], null), [0x00]) },
        { "truncated", Node([(Layer0Key, 0, null)], null)[..^3] },
        { "invalid key characters", Node([("A0/37 913", 0, null)], null) },
        { "keys out of order", Node([(Layer0Later, 0, null), (Layer0Key, 0, null)], null) },
        { "prefix longer than previous key", Node([(Layer0Key, 3, null)], null) },
        { "keys of different layers", Node([(Layer0Key, 0, null), (Layer2Key, 0, null)], null) },
        { "root with only a subtree", Node([], Cid.ForDagCbor("x"u8)) },
        { "layer-0 node with a subtree", Node([(Layer0Key, 0, Cid.ForDagCbor("x"u8))], null) },
        { "link without tag", Concat([0xa2], Text("e"), [0x80], Text("l"), [0x58, 0x25, 0x00], Cid.ForDagCbor("x"u8).ToBytes()) },
        { "entry with a missing field", Concat([0xa2], Text("e"), [0x81, 0xa3], Text("k"), [0x41, (byte)'a'], Text("p"), [0x00], Text("v"), Link(Value), Text("l"), [0xf6]) },
    };

    [Theory]
    [MemberData(nameof(MalformedRoots))]
    public void Get_MalformedRootBlock_ThrowsMstFormatException(string reason, byte[] block)
    {
        var blocks = new BlockMap();
        var cid = blocks.AddDagCbor(block);
        var tree = MerkleSearchTree.Load(cid, blocks);

        var error = Should.Throw<MstFormatException>(() => tree.Get(Layer0Key), reason);

        error.Node.ShouldBe(cid);
    }

    [Fact]
    public void Get_EmptyNodeBelowTheRoot_ThrowsMstFormatException()
    {
        var blocks = new BlockMap();
        var empty = blocks.AddDagCbor(Node([], null));
        var intermediate = blocks.AddDagCbor(Node([], empty));
        var root = blocks.AddDagCbor(Node([(Layer2Key, 0, null)], intermediate));
        var tree = MerkleSearchTree.Load(root, blocks);

        Should.Throw<MstFormatException>(() => tree.Get(Layer0Key)).Node.ShouldBe(empty);
    }

    [Fact]
    public void Encode_BuiltNode_MatchesHandWrittenCanonicalBytes()
    {
        var tree = MerkleSearchTree.Build([new MstLeaf(Layer0Key, Value), new MstLeaf(Layer0Later, Value)]);
        var blocks = new BlockMap();
        tree.WriteBlocks(blocks);

        blocks.Count.ShouldBe(1);
        blocks.TryGet(tree.RootCid, out var block).ShouldBeTrue();
        block.ToArray().ShouldBe(Node([(Layer0Key, 0, null), (Layer0Later, 0, null)], null));
    }

    [Fact]
    public void Load_HandWrittenTwoLayerTree_ReadsEveryKey()
    {
        var blocks = new BlockMap();
        var leftLeaf = blocks.AddDagCbor(Node([(Layer0Key, 0, null)], null));
        var left = blocks.AddDagCbor(Node([], leftLeaf));
        var rightLeaf = blocks.AddDagCbor(Node([(Layer0Later, 0, null)], null));
        var right = blocks.AddDagCbor(Node([], rightLeaf));
        var root = blocks.AddDagCbor(Node([(Layer2Key, 0, right)], left));

        var tree = MerkleSearchTree.Load(root, blocks);

        tree.Walk().Select(l => l.Key).ShouldBe([Layer0Key, Layer2Key, Layer0Later]);
        MerkleSearchTree.Build(tree.Walk()).RootCid.ShouldBe(root);
    }

    // A node in canonical DAG-CBOR; each entry's key is prefix-compressed against the previous one unless a prefix is forced.
    private static byte[] Node(IEnumerable<(string Key, int ForcedPrefix, Cid? Right)> entries, Cid? left)
    {
        var list = entries.ToList();
        var parts = new List<byte[]> { new byte[] { 0xa2 }, Text("e"), Header(4, list.Count) };
        var previous = string.Empty;
        foreach (var (key, forcedPrefix, right) in list)
        {
            var prefix = forcedPrefix > 0 ? forcedPrefix : previous.AsSpan().CommonPrefixLength(key);
            var suffix = Encoding.ASCII.GetBytes(key[prefix..]);
            parts.Add([0xa4]);
            parts.Add(Text("k"));
            parts.Add(Header(2, suffix.Length));
            parts.Add(suffix);
            parts.Add(Text("p"));
            parts.Add(Header(0, prefix));
            parts.Add(Text("t"));
            parts.Add(right is { } r ? Link(r) : [0xf6]);
            parts.Add(Text("v"));
            parts.Add(Link(Value));
            previous = key;
        }

        parts.Add(Text("l"));
        parts.Add(left is { } l ? Link(l) : [0xf6]);
        return Concat([.. parts]);
    }

    private static byte[] Header(int major, int value) =>
        value < 24 ? [(byte)((major << 5) | value)] : [(byte)((major << 5) | 24), (byte)value];

    private static byte[] Text(string text) => Concat(Header(3, text.Length), Encoding.ASCII.GetBytes(text));

    private static byte[] Link(Cid cid) => Concat([0xd8, 0x2a, 0x58, 0x25, 0x00], cid.ToBytes());

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
