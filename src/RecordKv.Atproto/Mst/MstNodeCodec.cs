using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Mst;

/// <summary>
/// Encodes and decodes MST nodes: DAG-CBOR <c>{"e": [{"k": bytes, "p": uint, "t": link|null, "v": link}], "l": link|null}</c>
/// with keys prefix-compressed against the previous entry. The encoder writes the fixed schema directly in canonical
/// form (map keys in DAG-CBOR order: "e" before "l"; "k", "p", "t", "v"), sizing the block exactly first.
/// </summary>
internal static class MstNodeCodec
{
    // A CID link in DAG-CBOR: tag 42 (0xd8 0x2a), a byte string header (0x58 0x25) of 37 bytes: 0x00 then the binary CID.
    private const int LinkLength = 2 + 2 + 1 + Cid.EncodedLength;

    // The smallest entry: map header, four one-letter keys, one-byte key string, prefix, null subtree, value link.
    private const int MinEntryLength = 1 + (4 * 2) + 2 + 1 + 1 + LinkLength;

    public static byte[] Encode(MstNode node)
    {
        var entries = node.Entries;

        // Sizing and writing both need each key's shared prefix: compute it once. Nodes hold a few dozen entries in
        // practice; a larger one (an unusual tree) takes a heap array.
        Span<int> prefixes = entries.Length <= 128 ? stackalloc int[entries.Length] : new int[entries.Length];
        var length = 1 + 2 + HeaderLength((ulong)entries.Length) + 2 + LinkOrNullLength(node.Left);
        var previous = ReadOnlySpan<char>.Empty;
        for (var i = 0; i < entries.Length; i++)
        {
            var key = entries[i].Key.AsSpan();
            var prefix = previous.CommonPrefixLength(key);
            prefixes[i] = prefix;
            var suffix = key.Length - prefix;
            length += 1 + 2 + HeaderLength((ulong)suffix) + suffix + 2 + HeaderLength((ulong)prefix) + 2 + LinkOrNullLength(entries[i].Right) + 2 + LinkLength;
            previous = key;
        }

        var block = GC.AllocateUninitializedArray<byte>(length);
        var span = block.AsSpan();
        var offset = 0;
        span[offset++] = 0xa2;
        offset += WriteKey(span[offset..], 'e');
        offset += WriteHeader(span[offset..], 4, (ulong)entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            var prefix = prefixes[i];
            var suffix = entry.Key.AsSpan(prefix);
            span[offset++] = 0xa4;
            offset += WriteKey(span[offset..], 'k');
            offset += WriteHeader(span[offset..], 2, (ulong)suffix.Length);

            // Keys are validated ASCII, so each char is its byte.
            if (Ascii.FromUtf16(suffix, span.Slice(offset, suffix.Length), out var written) != OperationStatus.Done)
            {
                throw new InvalidOperationException($"MST key '{entry.Key}' is not ASCII.");
            }

            offset += written;
            offset += WriteKey(span[offset..], 'p');
            offset += WriteHeader(span[offset..], 0, (ulong)prefix);
            offset += WriteKey(span[offset..], 't');
            offset += WriteLinkOrNull(span[offset..], entry.Right);
            offset += WriteKey(span[offset..], 'v');
            offset += WriteLink(span[offset..], entry.Value);
        }

        offset += WriteKey(span[offset..], 'l');
        offset += WriteLinkOrNull(span[offset..], node.Left);
        if (offset != length)
        {
            throw new InvalidOperationException($"MST node encoding wrote {offset} bytes, expected {length}.");
        }

        return block;
    }

    public static (int Layer, MstNode? Left, MstNodeEntry[] Entries) Decode(Cid cid, ReadOnlySpan<byte> block, int expectedLayer)
    {
        // The DAG-CBOR reader enforces the encoding rules (shortest headers, definite lengths, canonical key order,
        // tag-42 links); this method adds the node's fixed schema and the tree's rules on top.
        int layer;
        MstNodeEntry[] entries;
        Cid? left;
        try
        {
            var reader = new DagCborReader(block);
            if (reader.ReadMapHeader() != 2)
            {
                Fail(cid, "a node is a map of exactly two fields, e and l");
            }

            // Canonical DAG-CBOR orders the keys, so "e" always comes before "l".
            ReadFieldName(cid, ref reader, (byte)'e');
            layer = expectedLayer;
            entries = ReadEntries(cid, ref reader, block.Length, ref layer);
            ReadFieldName(cid, ref reader, (byte)'l');
            left = ReadLinkOrNull(ref reader);
            if (!reader.IsAtEnd)
            {
                Fail(cid, $"trailing bytes after the node at offset {reader.BytesConsumed}");
            }
        }
        catch (CborFormatException exception)
        {
            throw new MstFormatException(cid, exception.Message, exception);
        }

        if (entries.Length == 0)
        {
            if (left is not null)
            {
                // An entry-less node with a subtree only exists below the root, where the parent fixes its layer.
                if (expectedLayer < 0)
                {
                    Fail(cid, "the root of a tree is a node with only a subtree (the tree is not trimmed)");
                }
            }
            else if (expectedLayer >= 0)
            {
                Fail(cid, "an empty node below the root");
            }

            if (layer < 0)
            {
                layer = 0;
            }
        }

        if (left is not null && layer == 0)
        {
            Fail(cid, "a node on layer 0 has a subtree");
        }

        var leftNode = left is { } leftCid ? MstNode.CreateStub(leftCid, layer - 1) : null;
        foreach (var entry in entries)
        {
            if (entry.Right is not null && layer == 0)
            {
                Fail(cid, "a node on layer 0 has a subtree");
            }
        }

        return (layer, leftNode, entries);
    }

    private static MstNodeEntry[] ReadEntries(Cid cid, ref DagCborReader reader, int blockLength, ref int layer)
    {
        var count = reader.ReadArrayHeader();
        if (count > blockLength / MinEntryLength)
        {
            Fail(cid, $"{count} entries cannot fit in a block of {blockLength} bytes");
        }

        var entries = count == 0 ? [] : new MstNodeEntry[count];
        Span<byte> keyBuffer = stackalloc byte[MstKey.MaxLength];
        var previousLength = 0;
        for (var i = 0; i < count; i++)
        {
            if (reader.ReadMapHeader() != 4)
            {
                Fail(cid, $"entry {i} is not a map of exactly four fields, k, p, t and v");
            }

            ReadFieldName(cid, ref reader, (byte)'k');
            var suffix = reader.ReadBytes();
            ReadFieldName(cid, ref reader, (byte)'p');
            var prefix = reader.ReadInt64();
            if (prefix < 0 || prefix > previousLength)
            {
                Fail(cid, $"entry {i} shares {prefix} characters with a previous key of {previousLength}");
            }

            var keyLength = (int)prefix + suffix.Length;
            if (keyLength > MstKey.MaxLength)
            {
                Fail(cid, $"entry {i} has a key of {keyLength} bytes (the limit is {MstKey.MaxLength})");
            }

            // The key shares its first prefix bytes with the previous one, so it sorts after it exactly when its
            // suffix sorts after the rest of the previous key (ASCII: byte order is ordinal order).
            if (i > 0 && suffix.SequenceCompareTo(keyBuffer[(int)prefix..previousLength]) <= 0)
            {
                Fail(cid, $"entry {i} key '{Encoding.Latin1.GetString(keyBuffer[..(int)prefix])}{Encoding.Latin1.GetString(suffix)}' does not sort after '{entries[i - 1].Key}'");
            }

            suffix.CopyTo(keyBuffer[(int)prefix..]);
            ReadFieldName(cid, ref reader, (byte)'t');
            var right = ReadLinkOrNull(ref reader);
            ReadFieldName(cid, ref reader, (byte)'v');
            var value = reader.ReadCid();

            var keyBytes = keyBuffer[..keyLength];
            if (!MstKey.IsValid(keyBytes))
            {
                Fail(cid, $"entry {i} has an invalid key '{Encoding.Latin1.GetString(keyBytes)}'");
            }

            // Valid keys are ASCII, so Latin-1 maps each byte to the same char.
            var key = Encoding.Latin1.GetString(keyBytes);

            var height = MstKey.Height(keyBytes);
            if (layer < 0)
            {
                layer = height;
            }
            else if (height != layer)
            {
                Fail(cid, $"key '{key}' has height {height} but sits on layer {layer}");
            }

            entries[i] = new MstNodeEntry(key, value, right is { } rightCid ? MstNode.CreateStub(rightCid, layer - 1) : null);
            previousLength = keyLength;
        }

        return entries;
    }

    // The reader has already checked the key is text and sorts after the previous one; the schema fixes which it is.
    private static void ReadFieldName(Cid cid, ref DagCborReader reader, byte name)
    {
        if (reader.TryReadOneLetterKey(name))
        {
            return;
        }

        var offset = reader.BytesConsumed;
        var key = reader.ReadTextUtf8();
        if (key.Length != 1 || key[0] != name)
        {
            Fail(cid, $"expected the field name \"{(char)name}\" at offset {offset}");
        }
    }

    private static Cid? ReadLinkOrNull(ref DagCborReader reader) => reader.TryReadNull() ? null : reader.ReadCid();

    [DoesNotReturn]
    private static void Fail(Cid cid, string message) => throw new MstFormatException(cid, message);

    private static int HeaderLength(ulong value) => value < 24 ? 1 : value <= byte.MaxValue ? 2 : value <= ushort.MaxValue ? 3 : 5;

    private static int LinkOrNullLength(MstNode? node) => node is null ? 1 : LinkLength;

    private static int WriteHeader(Span<byte> destination, int majorType, ulong value)
    {
        var major = (byte)(majorType << 5);
        if (value < 24)
        {
            destination[0] = (byte)(major | (byte)value);
            return 1;
        }

        if (value <= byte.MaxValue)
        {
            destination[0] = (byte)(major | 24);
            destination[1] = (byte)value;
            return 2;
        }

        if (value <= ushort.MaxValue)
        {
            destination[0] = (byte)(major | 25);
            BinaryPrimitives.WriteUInt16BigEndian(destination[1..], (ushort)value);
            return 3;
        }

        destination[0] = (byte)(major | 26);
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)value);
        return 5;
    }

    private static int WriteKey(Span<byte> destination, char name)
    {
        destination[0] = 0x61;
        destination[1] = (byte)name;
        return 2;
    }

    private static int WriteLinkOrNull(Span<byte> destination, MstNode? node)
    {
        if (node is null)
        {
            destination[0] = 0xf6;
            return 1;
        }

        return WriteLink(destination, node.Cid);
    }

    private static int WriteLink(Span<byte> destination, Cid cid)
    {
        destination[0] = 0xd8;
        destination[1] = 0x2a;
        destination[2] = 0x58;
        destination[3] = Cid.EncodedLength + 1;
        destination[4] = 0x00;
        cid.WriteTo(destination[5..]);
        return LinkLength;
    }
}
