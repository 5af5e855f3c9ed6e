using System.Text;

namespace RecordKv.Contracts;

/// <summary>
/// The key schema of the <c>record</c> bucket: <c>&lt;p&gt;.&lt;collection&gt;.&lt;did&gt;.&lt;rkey&gt;</c>, with the
/// collection's dots as subject tokens and the DID and record key escaped by <see cref="KeyTokenEscaping"/>.
/// </summary>
public sealed class RecordStoreKeys
{
    /// <summary>Creates the key schema of a store partitioned by <paramref name="partitioner"/>.</summary>
    public RecordStoreKeys(DidPartitioner partitioner)
    {
        ArgumentNullException.ThrowIfNull(partitioner);
        Partitioner = partitioner;
    }

    /// <summary>The store's partition function.</summary>
    public DidPartitioner Partitioner { get; }

    /// <summary>The <c>record</c> bucket key of a record.</summary>
    public string KeyFor(RecordId id)
    {
        EnsureCollection(id.Collection);
        var partition = Partitioner.PartitionOf(id.Did);
        return $"{partition}.{id.Collection}.{KeyTokenEscaping.Escape(id.Did)}.{KeyTokenEscaping.Escape(id.RecordKey)}";
    }

    /// <summary>The <c>repo</c> bucket key of a repository: its escaped DID.</summary>
    public static string RepoKeyFor(string did) => KeyTokenEscaping.Escape(did);

    /// <summary>Decodes a <c>record</c> bucket key into the record it names and its partition.</summary>
    public static RecordId ParseKey(string key, out int partition)
    {
        ArgumentNullException.ThrowIfNull(key);
        var firstDot = key.IndexOf('.', StringComparison.Ordinal);
        var lastDot = key.LastIndexOf('.');
        var didDot = lastDot > 0 ? key.LastIndexOf('.', lastDot - 1) : -1;
        if (firstDot <= 0 || didDot <= firstDot)
        {
            throw new KeyFormatException($"'{key}' is not a record key: expected PARTITION.COLLECTION.DID.RKEY.");
        }

        if (!int.TryParse(key.AsSpan(0, firstDot), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out partition))
        {
            throw new KeyFormatException($"'{key}' is not a record key: '{key[..firstDot]}' is not a partition number.");
        }

        var collection = key[(firstDot + 1)..didDot];
        EnsureCollection(collection);
        var did = KeyTokenEscaping.Unescape(key.AsSpan(didDot + 1, lastDot - didDot - 1));
        var recordKey = KeyTokenEscaping.Unescape(key.AsSpan(lastDot + 1));
        return new RecordId(did, collection, recordKey);
    }

    /// <summary>The subject filter that selects one collection on every partition of <paramref name="bucket"/>.</summary>
    public static string CollectionSubject(string bucket, string collection)
    {
        EnsureCollection(collection);
        return $"$KV.{bucket}.*.{collection}.>";
    }

    /// <summary>Refuses a collection that is not a dotted run of subject-safe NSID segments.</summary>
    internal static void EnsureCollection(string collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        var segments = 1;
        var segmentLength = 0;
        foreach (var c in collection)
        {
            if (c == '.')
            {
                if (segmentLength == 0)
                {
                    break;
                }

                segments++;
                segmentLength = 0;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c == '-')
            {
                segmentLength++;
            }
            else
            {
                throw new KeyFormatException($"'{collection}' is not a collection NSID: '{c}' is not allowed.");
            }
        }

        if (segments < 3 || segmentLength == 0 || Encoding.UTF8.GetByteCount(collection) > 317)
        {
            throw new KeyFormatException($"'{collection}' is not a collection NSID: expected at least three non-empty dot-separated segments.");
        }
    }
}
