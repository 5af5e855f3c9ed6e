using RecordKv.Atproto.Cids;

namespace RecordKv.Simulator.Generation;

/// <summary>One image of a generated post's <c>app.bsky.embed.images</c> embed.</summary>
internal readonly record struct PostImage(string Alt, Cid Blob, int Size, int Width, int Height);
