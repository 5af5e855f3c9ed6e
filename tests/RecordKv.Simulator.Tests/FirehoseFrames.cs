using System.Net.WebSockets;
using RecordKv.Atproto.Cbor;

namespace RecordKv.Simulator.Tests;

/// <summary>Reads firehose frames from a simulator the way a consumer does, and pulls out the fields tests check.</summary>
internal static class FirehoseFrames
{
    /// <summary>Reads binary messages until the server closes the stream or <paramref name="stop"/> says so.</summary>
    public static async Task<List<byte[]>> ReadAsync(Uri url, Func<byte[], bool> stop, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(url, cancellationToken);
        return await ReadAsync(socket, stop, cancellationToken);
    }

    public static async Task<List<byte[]>> ReadAsync(ClientWebSocket socket, Func<byte[], bool> stop, CancellationToken cancellationToken)
    {
        var frames = new List<byte[]>();
        var buffer = new byte[16 * 1024 * 1024];
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                length += result.Count;
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return frames;
            }

            var frame = buffer.AsSpan(0, length).ToArray();
            frames.Add(frame);
            if (stop(frame))
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                return frames;
            }
        }
    }

    /// <summary>The header's <c>t</c> (or <c>#error</c> for op -1) and the body's <c>seq</c> (-1 when absent).</summary>
    public static (string Type, long Seq) Describe(ReadOnlySpan<byte> frame)
    {
        var reader = new DagCborReader(frame);
        var type = "#error";
        var count = reader.ReadMapHeader();
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadText();
            if (key == "t")
            {
                type = reader.ReadText();
            }
            else
            {
                reader.SkipValue();
            }
        }

        var seq = -1L;
        count = reader.ReadMapHeader();
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadText();
            if (key == "seq")
            {
                seq = reader.ReadInt64();
            }
            else
            {
                reader.SkipValue();
            }
        }

        return (type, seq);
    }

    /// <summary>The body's text field <paramref name="name"/> (for error frames: <c>error</c>).</summary>
    public static string? BodyText(ReadOnlySpan<byte> frame, string name)
    {
        var reader = new DagCborReader(frame);
        reader.SkipValue();
        var count = reader.ReadMapHeader();
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadText();
            if (key == name && reader.PeekType() == CborValueType.TextString)
            {
                return reader.ReadText();
            }

            reader.SkipValue();
        }

        return null;
    }
}
