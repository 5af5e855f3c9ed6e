using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Car;

/// <summary>One block of a CAR file: its CID and its bytes (already checked to hash to the CID).</summary>
/// <param name="Cid">The block's CID.</param>
/// <param name="Data">The block's bytes.</param>
public readonly record struct CarBlock(Cid Cid, ReadOnlyMemory<byte> Data);
