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
    private readonly (string Uri, Cid Cid)[] _recentPosts = new (string, Cid)[RecentPostCapacity];
    private readonly ArrayBufferWriter<byte> _json = new(1024);
    private readonly ArrayBufferWriter<byte> _cbor = new(512);
    private readonly Utf8JsonWriter _writer;
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
            default:
                break;
        }

        _json.ResetWrittenCount();
        _writer.Reset(_json);
        _writer.WriteStartObject();
        _writer.WriteString("$type", collection);
        switch (collection)
        {
            case Post:
                WritePost(did);
                break;
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
    private byte[] MakeSubjectRecord(string collection, (string Uri, Cid Cid) post, string? did)
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
            writer.WriteText(post.Cid.ToString());
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
        _recentPosts[_recentNext] = (uri, cid);
        _recentNext = (_recentNext + 1) % RecentPostCapacity;
        _recentCount = Math.Min(_recentCount + 1, RecentPostCapacity);
    }

    private void WritePost(string did)
    {
        var text = Sentence(2, 30);
        var mention = _random.Chance(0.15) ? PickDid(did) : null;
        var link = _random.Chance(0.15) ? $"https://example.com/{_random.Next(100000)}" : null;
        if (mention is not null)
        {
            text = string.Concat(text, " @friend.sim.test");
        }

        if (link is not null)
        {
            text = string.Concat(text, " ", link);
        }

        _writer.WriteString("text", text);
        if (_random.Chance(0.6))
        {
            _writer.WriteStartArray("langs");
            _writer.WriteStringValue(_random.Chance(0.8) ? "en" : "ja");
            _writer.WriteEndArray();
        }

        if (mention is not null || link is not null)
        {
            var utf8 = System.Text.Encoding.UTF8;
            _writer.WriteStartArray("facets");
            if (mention is not null)
            {
                var start = utf8.GetByteCount(text) - utf8.GetByteCount("@friend.sim.test") - (link is null ? 0 : utf8.GetByteCount(" " + link));
                WriteFacet(start, start + utf8.GetByteCount("@friend.sim.test"), "app.bsky.richtext.facet#mention", "did", mention);
            }

            if (link is not null)
            {
                var end = utf8.GetByteCount(text);
                WriteFacet(end - utf8.GetByteCount(link), end, "app.bsky.richtext.facet#link", "uri", link);
            }

            _writer.WriteEndArray();
        }

        if (_recentCount > 0 && _random.Chance(0.2))
        {
            var parent = PickPost(did, null);
            var root = _random.Chance(0.5) ? parent : PickPost(did, null);
            _writer.WriteStartObject("reply");
            WriteStrongRef("root", root);
            WriteStrongRef("parent", parent);
            _writer.WriteEndObject();
        }

        var embed = _random.Next(100);
        if (embed < 15)
        {
            _writer.WriteStartObject("embed");
            _writer.WriteString("$type", "app.bsky.embed.images");
            _writer.WriteStartArray("images");
            for (var i = _random.Next(1, 5); i > 0; i--)
            {
                _writer.WriteStartObject();
                _writer.WriteString("alt", Sentence(0, 6));
                WriteBlob("image", "image/jpeg");
                _writer.WriteStartObject("aspectRatio");
                _writer.WriteNumber("width", _random.Next(100, 2000));
                _writer.WriteNumber("height", _random.Next(100, 2000));
                _writer.WriteEndObject();
                _writer.WriteEndObject();
            }

            _writer.WriteEndArray();
            _writer.WriteEndObject();
        }
        else if (embed < 20 && _recentCount > 0)
        {
            _writer.WriteStartObject("embed");
            _writer.WriteString("$type", "app.bsky.embed.record");
            WriteStrongRef("record", PickPost(did, null));
            _writer.WriteEndObject();
        }
    }

    private void WriteFacet(int byteStart, int byteEnd, string type, string field, string value)
    {
        _writer.WriteStartObject();
        _writer.WriteStartObject("index");
        _writer.WriteNumber("byteStart", byteStart);
        _writer.WriteNumber("byteEnd", byteEnd);
        _writer.WriteEndObject();
        _writer.WriteStartArray("features");
        _writer.WriteStartObject();
        _writer.WriteString("$type", type);
        _writer.WriteString(field, value);
        _writer.WriteEndObject();
        _writer.WriteEndArray();
        _writer.WriteEndObject();
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

    private void WriteStrongRef(string property, (string Uri, Cid Cid) target)
    {
        _writer.WriteStartObject(property);
        _writer.WriteString("uri", target.Uri);
        _writer.WriteString("cid", target.Cid.ToString());
        _writer.WriteEndObject();
    }

    private (string Uri, Cid Cid) PickPost(string did, string? recordKey)
    {
        if (_recentCount == 0)
        {
            // Nothing posted yet: point at a post that does not exist (the network has plenty of those).
            Span<byte> content = stackalloc byte[8];
            _random.NextBytes(content);
            return ($"at://{did}/{Post}/{recordKey ?? "3jzfcijpj2z2a"}", Cid.ForDagCbor(content));
        }

        return _recentPosts[_random.Next(_recentCount)];
    }

    private string PickDid(string own) => KnownDids.Count == 0 ? own : _random.Pick(KnownDids);

    private string Sentence(int minWords, int maxWords)
    {
        var count = _random.Next(minWords, maxWords + 1);
        var builder = new System.Text.StringBuilder();
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
