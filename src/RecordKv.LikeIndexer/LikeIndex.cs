using System.Globalization;
using System.Text;
using System.Text.Json;
using RecordKv.Client;
using RecordKv.Contracts;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.LikeIndexer;

/// <summary>
/// Reads and writes the like index. Applying a change is idempotent: the same like applied twice, or a delete of a like
/// never seen, leaves the bucket as it was, so redeliveries and replays change nothing.
/// </summary>
public sealed class LikeIndex
{
    /// <summary>The collection indexed.</summary>
    public const string LikeCollection = "app.bsky.feed.like";

    private const int CompareAndSetAttempts = 32;

    /// <summary>Wraps the index bucket.</summary>
    public LikeIndex(NatsKvStore bucket)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        Bucket = bucket;
    }

    /// <summary>The index bucket.</summary>
    public NatsKvStore Bucket { get; }

    /// <summary>Creates (or binds) the index bucket.</summary>
    public static async Task<LikeIndex> OpenAsync(NatsKvContext kv, string bucket = LikeIndexKeys.DefaultBucket, int replicas = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kv);
        try
        {
            return new LikeIndex(await kv.GetBucketAsync(bucket, cancellationToken).ConfigureAwait(false));
        }
        catch (NatsJetStreamNotFoundException)
        {
            return new LikeIndex(await kv.CreateBucketAsync(new NatsKvConfig { Bucket = bucket, Description = "RecordKv like index (likers, likes by actor, counts)", Replicas = replicas }, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Applies one change of a like record; a record that is not a like of a record URI is ignored.</summary>
    public async Task ApplyAsync(RecordId like, RecordOperation operation, JsonElement record, CancellationToken cancellationToken = default)
    {
        var likeKey = LikeIndexKeys.Like(like);
        var previous = await SubjectOfAsync(likeKey, cancellationToken).ConfigureAwait(false);
        if (operation == RecordOperation.Delete)
        {
            if (previous is { } old)
            {
                // Likers key and count first, the like key last: a crash in between is finished by the replay, which still finds the like.
                await Bucket.DeleteAsync(LikeIndexKeys.Liker(old, like), cancellationToken: cancellationToken).ConfigureAwait(false);
                await RecountAsync(old, cancellationToken).ConfigureAwait(false);
                await Bucket.DeleteAsync(likeKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (!TryGetSubject(record, out var subject))
        {
            return;
        }

        if (previous is { } replaced && replaced != subject)
        {
            await Bucket.DeleteAsync(LikeIndexKeys.Liker(replaced, like), cancellationToken: cancellationToken).ConfigureAwait(false);
            await RecountAsync(replaced, cancellationToken).ConfigureAwait(false);
        }

        // The like key first, so that a delete replayed after a crash can find what it liked.
        if (previous != subject)
        {
            await Bucket.PutAsync(likeKey, Encoding.UTF8.GetBytes(subject.ToAtUri()), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await Bucket.PutAsync(LikeIndexKeys.Liker(subject, like), ReadOnlyMemory<byte>.Empty, cancellationToken: cancellationToken).ConfigureAwait(false);
        await RecountAsync(subject, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The likes of <paramref name="did"/>: the like and what it likes.</summary>
    public async Task<IReadOnlyList<(RecordId Like, string Subject)>> LikesByAsync(string did, CancellationToken cancellationToken = default)
    {
        var likes = new List<(RecordId, string)>();
        await foreach (var key in Bucket.GetKeysAsync(LikeIndexKeys.LikesBy(did), cancellationToken).ConfigureAwait(false))
        {
            var entry = await Bucket.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (entry is not null && entry.Operation == NatsKvOperation.Put)
            {
                likes.Add((LikeIndexKeys.ParseLikeKey(key), Encoding.UTF8.GetString(entry.Value.Span)));
            }
        }

        return likes;
    }

    /// <summary>The likes of <paramref name="subject"/> (the likers are their DIDs).</summary>
    public async Task<IReadOnlyList<RecordId>> LikersAsync(RecordId subject, CancellationToken cancellationToken = default)
    {
        var likers = new List<RecordId>();
        await foreach (var key in Bucket.GetKeysAsync(LikeIndexKeys.Likers(subject), cancellationToken).ConfigureAwait(false))
        {
            likers.Add(LikeIndexKeys.ParseLikerKey(key));
        }

        return likers;
    }

    /// <summary>The stored like count of <paramref name="subject"/> (0 when it has none).</summary>
    public async Task<long> CountAsync(RecordId subject, CancellationToken cancellationToken = default)
    {
        var entry = await Bucket.GetAsync(LikeIndexKeys.Count(subject), cancellationToken).ConfigureAwait(false);
        return entry is null || entry.Operation != NatsKvOperation.Put ? 0 : long.Parse(Encoding.ASCII.GetString(entry.Value.Span), CultureInfo.InvariantCulture);
    }

    /// <summary>Every key and value of the index, sorted: what two runs are compared by.</summary>
    public async Task<IReadOnlyList<KeyValuePair<string, string>>> DumpAsync(CancellationToken cancellationToken = default)
    {
        var dump = new List<KeyValuePair<string, string>>();
        await foreach (var key in Bucket.GetKeysAsync(">", cancellationToken).ConfigureAwait(false))
        {
            var entry = await Bucket.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (entry is not null && entry.Operation == NatsKvOperation.Put)
            {
                dump.Add(new(key, Encoding.UTF8.GetString(entry.Value.Span)));
            }
        }

        dump.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return dump;
    }

    private static bool TryGetSubject(JsonElement record, out RecordId subject)
    {
        subject = default;
        if (record.ValueKind != JsonValueKind.Object
            || !record.TryGetProperty("subject", out var subjectRef) || subjectRef.ValueKind != JsonValueKind.Object
            || !subjectRef.TryGetProperty("uri", out var uri) || uri.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        try
        {
            subject = RecordId.ParseAtUri(uri.GetString()!);
            return true;
        }
        catch (KeyFormatException)
        {
            return false;
        }
    }

    private async Task<RecordId?> SubjectOfAsync(string likeKey, CancellationToken cancellationToken)
    {
        var entry = await Bucket.GetAsync(likeKey, cancellationToken).ConfigureAwait(false);
        if (entry is null || entry.Operation != NatsKvOperation.Put)
        {
            return null;
        }

        return RecordId.ParseAtUri(Encoding.UTF8.GetString(entry.Value.Span));
    }

    /// <summary>
    /// Sets the count to the number of likers keys by compare-and-set: whoever writes last counted after its own change, so
    /// concurrent writers (other partitions' processes) converge on the true count; a count of 0 is no key.
    /// </summary>
    private async Task RecountAsync(RecordId subject, CancellationToken cancellationToken)
    {
        var countKey = LikeIndexKeys.Count(subject);
        for (var attempt = 0; attempt < CompareAndSetAttempts; attempt++)
        {
            var current = await Bucket.GetEntryAsync(countKey, cancellationToken).ConfigureAwait(false);
            long count = 0;
            await foreach (var unused in Bucket.GetKeysAsync(LikeIndexKeys.Likers(subject), cancellationToken).ConfigureAwait(false))
            {
                count++;
            }

            var live = current is not null && current.Operation == NatsKvOperation.Put;
            var text = count.ToString(CultureInfo.InvariantCulture);
            try
            {
                if (count == 0)
                {
                    if (live)
                    {
                        await Bucket.DeleteAsync(countKey, current!.Revision, cancellationToken).ConfigureAwait(false);
                    }
                }
                else if (!live)
                {
                    if (current is null)
                    {
                        await Bucket.CreateAsync(countKey, Encoding.ASCII.GetBytes(text), cancellationToken: cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await Bucket.UpdateAsync(countKey, Encoding.ASCII.GetBytes(text), current.Revision, cancellationToken: cancellationToken).ConfigureAwait(false);
                    }
                }
                else if (Encoding.ASCII.GetString(current!.Value.Span) != text)
                {
                    await Bucket.UpdateAsync(countKey, Encoding.ASCII.GetBytes(text), current.Revision, cancellationToken: cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (NatsJetStreamException)
            {
                // Another writer changed the count since we read it: count again.
            }
        }

        throw new InvalidOperationException($"The count of {subject} kept changing under {CompareAndSetAttempts} attempts.");
    }
}
