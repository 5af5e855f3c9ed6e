using System.Buffers;
using System.Text.Json;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;

namespace RecordKv.Simulator.Generation;

/// <summary>
/// Makes record values shaped like the real network's: posts with facets, replies and embeds (images with blob
/// refs, quotes), likes and reposts of existing posts, follows, blocks, profiles, and records of non-Bluesky
/// collections whose keys need escaping. Written as atproto JSON and converted to canonical DAG-CBOR.
/// </summary>
internal sealed class RecordFactory
{
    public const string Post = "app.bsky.feed.post";
    public const string Like = "app.bsky.feed.like";
    public const string Repost = "app.bsky.feed.repost";
    public const string Follow = "app.bsky.graph.follow";
    public const string Block = "app.bsky.graph.block";
    public const string Profile = "app.bsky.actor.profile";
    public const string Status = "xyz.statusphere.status";
    public const string Item = "com.example.sim.item";

    private const int RecentPostCapacity = 4096;
    private const string MentionText = "@friend.sim.test";

    private static readonly string[] Words =
    [
        "the", "firehose", "relay", "merkle", "tree", "signed", "commit", "atproto", "bluesky", "record", "cursor",
        "backfill", "verify", "simulated", "coffee", "morning", "cat", "garden", "music", "build", "ship", "hello",
        "world", "today", "network", "post", "like", "graph", "über", "café", "日本語", "🚀", "🦋", "naïve",
    ];

    private static readonly string[] ItemKeyPrefixes = ["k:", "a~", "v.", "_", "x-", "m:n~o.p_q-"];
    private static readonly string[] Statuses = ["👍", "🦋", "☕", "🎉", "💻", "🌧"];

    private readonly SimRandom _random;
    private readonly SimClock _clock;
    private readonly (string Uri, string Cid)[] _recentPosts = new (string, string)[RecentPostCapacity];
    private readonly ArrayBufferWriter<byte> _json = new(1024);
    private readonly ArrayBufferWriter<byte> _cbor = new(512);
    private readonly Utf8JsonWriter _writer;
    private readonly System.Text.StringBuilder _sentence = new(256);
    private int _recentCount;
    private int _recentNext;

    public RecordFactory(SimRandom random, SimClock clock)
    {
        _random = random;
        _clock = clock;
        _writer = new Utf8JsonWriter(_json);
    }

    /// <summary>DIDs that follows, blocks and mentions point at.</summary>
    public IReadOnlyList<string> KnownDids { get; set; } = [];

    /// <summary>Picks a collection and record key for a new record of <paramref name="account"/>.</summary>
    public (string Collection, string RecordKey) ChooseNew(SimAccount account)
    {
        var roll = _random.Next(1000);
        var collection = roll switch
        {
            < 350 => Post,
            < 680 => Like,
            < 760 => Repost,
            < 880 => Follow,
            < 900 => Block,
            < 910 => Profile,
            < 950 => Status,
            _ => Item,
        };
        if (collection == Profile)
        {
            return account.HasKey(Profile + "/self") ? (Post, _clock.NextTid().ToString()) : (Profile, "self");
        }

        if (collection == Item)
        {
            return (Item, _random.Pick(ItemKeyPrefixes) + _clock.NextTid().ToString());
        }

        return (collection, _clock.NextTid().ToString());
    }

    /// <summary>The DAG-CBOR value of a record of <paramref name="collection"/> (new or a new version of an existing one).</summary>
    public byte[] Make(string did, string collection, string recordKey)
    {
        switch (collection)
        {
            case Like:
            case Repost:
                return MakeSubjectRecord(collection, PickPost(did, recordKey), null);
            case Follow:
            case Block:
                return MakeSubjectRecord(collection, default, PickDid(did));
            case Post:
                return MakePost(did);
            default:
                break;
        }

        _json.ResetWrittenCount();
        _writer.Reset(_json);
        _writer.WriteStartObject();
        _writer.WriteString("$type", collection);
        switch (collection)
        {
            case Profile:
                _writer.WriteString("displayName", Sentence(1, 3));
                _writer.WriteString("description", Sentence(3, 12));
                if (_random.Chance(0.5))
                {
                    WriteBlob("avatar", "image/jpeg");
                }

                break;
            case Status:
                _writer.WriteString("status", _random.Pick(Statuses));
                break;
            default:
                _writer.WriteString("name", Sentence(1, 4));
                _writer.WriteNumber("count", _random.Next(-1000, 1_000_000));
                _writer.WriteBoolean("flag", _random.Chance(0.5));
                _writer.WriteStartObject("nested");
                _writer.WriteStartArray("tags");
                for (var i = _random.Next(0, 4); i > 0; i--)
                {
                    _writer.WriteStringValue(_random.Pick(Words));
                }

                _writer.WriteEndArray();
                _writer.WriteStartObject("data");
                var bytes = new byte[_random.Next(1, 24)];
                _random.NextBytes(bytes);
                _writer.WriteBase64String("$bytes", bytes);
                _writer.WriteEndObject();
                _writer.WriteEndObject();
                break;
        }

        _writer.WriteString("createdAt", _clock.NowText());
        _writer.WriteEndObject();
        _writer.Flush();
        return DagCborJson.FromJson(TrimBase64Padding(_json.WrittenSpan));
    }

    // The most frequent records are written straight to DAG-CBOR (keys in canonical order: $type, subject,
    // createdAt; a strong ref's cid before uri), skipping the JSON round trip.
    private byte[] MakeSubjectRecord(string collection, (string Uri, string Cid) post, string? did)
    {
        _cbor.ResetWrittenCount();
        var writer = new DagCborWriter(_cbor);
        writer.WriteMapHeader(3);
        writer.WriteText("$type"u8);
        writer.WriteText(collection);
        writer.WriteText("subject"u8);
        if (did is not null)
        {
            writer.WriteText(did);
        }
        else
        {
            writer.WriteMapHeader(2);
            writer.WriteText("cid"u8);
            writer.WriteText(post.Cid);
            writer.WriteText("uri"u8);
            writer.WriteText(post.Uri);
        }

        writer.WriteText("createdAt"u8);
        writer.WriteText(_clock.NowText());
        return _cbor.WrittenSpan.ToArray();
    }

    /// <summary>Remembers a created post so that later likes, reposts, replies and quotes can point at it.</summary>
    public void NotePost(string uri, Cid cid)
    {
        // Kept as text: that is how strong refs carry it, and a post is referenced more often than it is created.
        _recentPosts[_recentNext] = (uri, cid.ToString());
        _recentNext = (_recentNext + 1) % RecentPostCapacity;
        _recentCount = Math.Min(_recentCount + 1, RecentPostCapacity);
    }

    // Posts are a third of all records: written straight to DAG-CBOR too. Everything random is drawn first (the map
    // sizes depend on it), then the maps are written with their keys in canonical order (shorter first, then bytewise).
    private byte[] MakePost(string did)
    {
        var text = Sentence(2, 30);
        var mention = _random.Chance(0.15) ? PickDid(did) : null;
        var link = _random.Chance(0.15) ? $"https://example.com/{_random.Next(100000)}" : null;
        if (mention is not null)
        {
            text = string.Concat(text, " ", MentionText);
        }

        if (link is not null)
        {
            text = string.Concat(text, " ", link);
        }

        var language = _random.Chance(0.6) ? (_random.Chance(0.8) ? "en" : "ja") : null;
        (string Uri, string Cid) replyRoot = default, replyParent = default;
        var hasReply = _recentCount > 0 && _random.Chance(0.2);
        if (hasReply)
        {
            replyParent = PickPost(did, null);
            replyRoot = _random.Chance(0.5) ? replyParent : PickPost(did, null);
        }

        var embedRoll = _random.Next(100);
        List<PostImage>? images = null;
        (string Uri, string Cid) quoted = default;
        if (embedRoll < 15)
        {
            images = [];
            for (var i = _random.Next(1, 5); i > 0; i--)
            {
                var alt = Sentence(0, 6);
                var (blob, size) = NextBlob();
                images.Add(new PostImage(alt, blob, size, _random.Next(100, 2000), _random.Next(100, 2000)));
            }
        }
        else if (embedRoll < 20 && _recentCount > 0)
        {
            quoted = PickPost(did, null);
        }

        var hasQuote = quoted.Uri is not null;
        var createdAt = _clock.NowText();

        _cbor.ResetWrittenCount();
        var writer = new DagCborWriter(_cbor);
        var hasFacets = mention is not null || link is not null;
        writer.WriteMapHeader(3 + (language is null ? 0 : 1) + (hasFacets ? 1 : 0) + (hasReply ? 1 : 0) + (images is not null || hasQuote ? 1 : 0));
        writer.WriteText("text"u8);
        writer.WriteText(text);
        writer.WriteText("$type"u8);
        writer.WriteText(Post);
        if (images is not null)
        {
            writer.WriteText("embed"u8);
            writer.WriteMapHeader(2);
            writer.WriteText("$type"u8);
            writer.WriteText("app.bsky.embed.images"u8);
            writer.WriteText("images"u8);
            writer.WriteArrayHeader(images.Count);
            foreach (var image in images)
            {
                writer.WriteMapHeader(3);
                writer.WriteText("alt"u8);
                writer.WriteText(image.Alt);
                writer.WriteText("image"u8);
                WriteBlob(writer, image.Blob, image.Size, "image/jpeg"u8);
                writer.WriteText("aspectRatio"u8);
                writer.WriteMapHeader(2);
                writer.WriteText("width"u8);
                writer.WriteInt64(image.Width);
                writer.WriteText("height"u8);
                writer.WriteInt64(image.Height);
            }
        }
        else if (hasQuote)
        {
            writer.WriteText("embed"u8);
            writer.WriteMapHeader(2);
            writer.WriteText("$type"u8);
            writer.WriteText("app.bsky.embed.record"u8);
            writer.WriteText("record"u8);
            WriteStrongRef(writer, quoted);
        }

        if (language is not null)
        {
            writer.WriteText("langs"u8);
            writer.WriteArrayHeader(1);
            writer.WriteText(language);
        }

        if (hasReply)
        {
            writer.WriteText("reply"u8);
            writer.WriteMapHeader(2);
            writer.WriteText("root"u8);
            WriteStrongRef(writer, replyRoot);
            writer.WriteText("parent"u8);
            WriteStrongRef(writer, replyParent);
        }

        if (hasFacets)
        {
            var utf8 = System.Text.Encoding.UTF8;
            var textBytes = utf8.GetByteCount(text);
            var linkBytes = link is null ? 0 : utf8.GetByteCount(link);
            writer.WriteText("facets"u8);
            writer.WriteArrayHeader((mention is null ? 0 : 1) + (link is null ? 0 : 1));
            if (mention is not null)
            {
                var end = textBytes - (link is null ? 0 : linkBytes + 1);
                WriteFacet(writer, end - MentionText.Length, end, "app.bsky.richtext.facet#mention"u8, "did"u8, mention);
            }

            if (link is not null)
            {
                WriteFacet(writer, textBytes - linkBytes, textBytes, "app.bsky.richtext.facet#link"u8, "uri"u8, link);
            }
        }

        writer.WriteText("createdAt"u8);
        writer.WriteText(createdAt);
        return _cbor.WrittenSpan.ToArray();
    }

    private (Cid Blob, int Size) NextBlob()
    {
        Span<byte> content = stackalloc byte[16];
        _random.NextBytes(content);
        return (Cid.ForRaw(content), _random.Next(1000, 1_000_000));
    }

    private static void WriteBlob(DagCborWriter writer, Cid blob, int size, ReadOnlySpan<byte> mimeType)
    {
        writer.WriteMapHeader(4);
        writer.WriteText("ref"u8);
        writer.WriteCid(blob);
        writer.WriteText("size"u8);
        writer.WriteInt64(size);
        writer.WriteText("$type"u8);
        writer.WriteText("blob"u8);
        writer.WriteText("mimeType"u8);
        writer.WriteText(mimeType);
    }

    private static void WriteStrongRef(DagCborWriter writer, (string Uri, string Cid) target)
    {
        writer.WriteMapHeader(2);
        writer.WriteText("cid"u8);
        writer.WriteText(target.Cid);
        writer.WriteText("uri"u8);
        writer.WriteText(target.Uri);
    }

    private static void WriteFacet(DagCborWriter writer, int byteStart, int byteEnd, ReadOnlySpan<byte> type, ReadOnlySpan<byte> field, string value)
    {
        writer.WriteMapHeader(2);
        writer.WriteText("index"u8);
        writer.WriteMapHeader(2);
        writer.WriteText("byteEnd"u8);
        writer.WriteInt64(byteEnd);
        writer.WriteText("byteStart"u8);
        writer.WriteInt64(byteStart);
        writer.WriteText("features"u8);
        writer.WriteArrayHeader(1);
        writer.WriteMapHeader(2);
        writer.WriteText(field);
        writer.WriteText(value);
        writer.WriteText("$type"u8);
        writer.WriteText(type);
    }

    private void WriteBlob(string property, string mimeType)
    {
        Span<byte> content = stackalloc byte[16];
        _random.NextBytes(content);
        _writer.WriteStartObject(property);
        _writer.WriteString("$type", "blob");
        _writer.WriteStartObject("ref");
        _writer.WriteString("$link", Cid.ForRaw(content).ToString());
        _writer.WriteEndObject();
        _writer.WriteString("mimeType", mimeType);
        _writer.WriteNumber("size", _random.Next(1000, 1_000_000));
        _writer.WriteEndObject();
    }

    private (string Uri, string Cid) PickPost(string did, string? recordKey)
    {
        if (_recentCount == 0)
        {
            // Nothing posted yet: point at a post that does not exist (the network has plenty of those).
            Span<byte> content = stackalloc byte[8];
            _random.NextBytes(content);
            return ($"at://{did}/{Post}/{recordKey ?? "3jzfcijpj2z2a"}", Cid.ForDagCbor(content).ToString());
        }

        return _recentPosts[_random.Next(_recentCount)];
    }

    private string PickDid(string own) => KnownDids.Count == 0 ? own : _random.Pick(KnownDids);

    private string Sentence(int minWords, int maxWords)
    {
        var count = _random.Next(minWords, maxWords + 1);
        var builder = _sentence.Clear();
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                builder.Append(' ');
            }

            builder.Append(_random.Pick(Words));
        }

        return builder.ToString();
    }

    // Utf8JsonWriter pads base64; atproto's {"$bytes"} form is unpadded.
    private static ReadOnlySpan<byte> TrimBase64Padding(ReadOnlySpan<byte> json)
    {
        if (json.IndexOf("=\""u8) < 0)
        {
            return json;
        }

        var text = System.Text.Encoding.UTF8.GetString(json).Replace("==\"", "\"", StringComparison.Ordinal).Replace("=\"", "\"", StringComparison.Ordinal);
        return System.Text.Encoding.UTF8.GetBytes(text);
    }
}
