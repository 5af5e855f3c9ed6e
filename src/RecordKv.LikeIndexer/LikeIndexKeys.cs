using RecordKv.Contracts;

namespace RecordKv.LikeIndexer;

/// <summary>
/// The keys of the like index bucket. A like is a key, so writing it twice is writing it once:
/// <c>like.&lt;liker&gt;.&lt;rkey&gt;</c> → the liked URI (likes by actor);
/// <c>likers.&lt;post did&gt;.&lt;post collection&gt;.&lt;post rkey&gt;.&lt;liker&gt;.&lt;rkey&gt;</c> → empty (likers per post);
/// <c>count.&lt;post did&gt;.&lt;post collection&gt;.&lt;post rkey&gt;</c> → the number of likers keys, recounted after each change.
/// Every token is escaped with <see cref="KeyTokenEscaping"/>.
/// </summary>
public static class LikeIndexKeys
{
    /// <summary>The default bucket name.</summary>
    public const string DefaultBucket = "like-index";

    /// <summary>The key of one like by its liker.</summary>
    public static string Like(RecordId like) => $"like.{KeyTokenEscaping.Escape(like.Did)}.{KeyTokenEscaping.Escape(like.RecordKey)}";

    /// <summary>The filter of every like by <paramref name="did"/>.</summary>
    public static string LikesBy(string did) => $"like.{KeyTokenEscaping.Escape(did)}.>";

    /// <summary>The key saying <paramref name="like"/> likes <paramref name="subject"/>.</summary>
    public static string Liker(RecordId subject, RecordId like) => $"likers.{Post(subject)}.{KeyTokenEscaping.Escape(like.Did)}.{KeyTokenEscaping.Escape(like.RecordKey)}";

    /// <summary>The filter of every liker of <paramref name="subject"/>.</summary>
    public static string Likers(RecordId subject) => $"likers.{Post(subject)}.>";

    /// <summary>The key of the like count of <paramref name="subject"/>.</summary>
    public static string Count(RecordId subject) => $"count.{Post(subject)}";

    /// <summary>Decodes the liker DID and like record key from a likers key.</summary>
    public static RecordId ParseLikerKey(string key)
    {
        var last = key.LastIndexOf('.');
        var previous = key.LastIndexOf('.', last - 1);
        return new RecordId(KeyTokenEscaping.Unescape(key.AsSpan(previous + 1, last - previous - 1)), "app.bsky.feed.like", KeyTokenEscaping.Unescape(key.AsSpan(last + 1)));
    }

    /// <summary>Decodes the like record key from a like key.</summary>
    public static RecordId ParseLikeKey(string key)
    {
        var last = key.LastIndexOf('.');
        var previous = key.LastIndexOf('.', last - 1);
        return new RecordId(KeyTokenEscaping.Unescape(key.AsSpan(previous + 1, last - previous - 1)), "app.bsky.feed.like", KeyTokenEscaping.Unescape(key.AsSpan(last + 1)));
    }

    private static string Post(RecordId subject) =>
        $"{KeyTokenEscaping.Escape(subject.Did)}.{KeyTokenEscaping.Escape(subject.Collection)}.{KeyTokenEscaping.Escape(subject.RecordKey)}";
}
