using System.Buffers;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Car;

/// <summary>Writes a CAR v1: <see cref="WriteHeader(ReadOnlySpan{Cid})"/> once, then <see cref="WriteBlock(Cid, ReadOnlySpan{byte})"/> per block.</summary>
public sealed class CarWriter
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_header;

    private readonly IBufferWriter<byte> _output;
    private bool _headerWritten;

    /// <summary>Creates a writer appending to <paramref name="output"/>.</summary>
    public CarWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>Writes the header <c>{roots, version: 1}</c>; must come first and only once.</summary>
    public void WriteHeader(IReadOnlyList<Cid> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        WriteHeader(roots as Cid[] ?? [.. roots]);
    }

    /// <summary>Writes the header <c>{roots, version: 1}</c>; must come first and only once.</summary>
    public void WriteHeader(params ReadOnlySpan<Cid> roots)
    {
        if (_headerWritten)
        {
            throw new InvalidOperationException("The CAR header is already written.");
        }

        // The header's length prefix comes first, so the header is encoded aside (per thread, reused) and copied.
        var header = t_header ??= new ArrayBufferWriter<byte>(128);
        header.ResetWrittenCount();
        var cbor = new DagCborWriter(header);
        cbor.WriteMapHeader(2);
        cbor.WriteText("roots"u8);
        cbor.WriteArrayHeader(roots.Length);
        foreach (var root in roots)
        {
            cbor.WriteCid(root);
        }

        cbor.WriteText("version"u8);
        cbor.WriteInt64(1);
        WritePrefix((ulong)header.WrittenCount);
        Append(header.WrittenSpan);
        _headerWritten = true;
    }

    /// <summary>Writes one block under <paramref name="cid"/>; the caller vouches that the data hash to it.</summary>
    public void WriteBlock(Cid cid, ReadOnlySpan<byte> data)
    {
        if (!_headerWritten)
        {
            throw new InvalidOperationException("Write the CAR header first.");
        }

        WritePrefix((ulong)(Cid.EncodedLength + data.Length));
        var span = _output.GetSpan(Cid.EncodedLength);
        cid.WriteTo(span);
        _output.Advance(Cid.EncodedLength);
        Append(data);
    }

    /// <summary>Writes a DAG-CBOR block under its computed CID and returns the CID.</summary>
    public Cid WriteBlock(ReadOnlySpan<byte> dagCbor)
    {
        var cid = Cid.ForDagCbor(dagCbor);
        WriteBlock(cid, dagCbor);
        return cid;
    }

    /// <summary>Writes a whole CAR to <paramref name="stream"/>.</summary>
    public static async Task WriteAsync(Stream stream, IReadOnlyList<Cid> roots, IEnumerable<CarBlock> blocks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(blocks);
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        var writer = new CarWriter(buffer);
        writer.WriteHeader(roots);
        foreach (var block in blocks)
        {
            writer.WriteBlock(block.Cid, block.Data.Span);
            if (buffer.WrittenCount >= 64 * 1024)
            {
                await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                buffer.ResetWrittenCount();
            }
        }

        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    private void WritePrefix(ulong length)
    {
        var span = _output.GetSpan(Varint.MaxLength);
        _output.Advance(Varint.Write(length, span));
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.IsEmpty)
        {
            bytes.CopyTo(_output.GetSpan(bytes.Length));
            _output.Advance(bytes.Length);
        }
    }
}
