#:property OutputType=Exe
#:property PublishAot=false

// The subscriber of scripts/bench-sim.sh: reads the simulator's firehose as fast as it can (from cursor 0, so it
// misses nothing that was emitted before it connected) and reports how many frames it received and at what rate,
// timed from the first frame to the last. It stops when the simulator closes the stream or after MAX_FRAMES frames.
//
// It shares the 2 cores with the simulator it measures, so it is as cheap a subscriber as can be: after the HTTP
// upgrade it reads the socket in large chunks and walks the RFC 6455 frame headers itself (a server's frames are
// never masked), counting every complete binary message, instead of one ClientWebSocket receive per message
// (which cost ~14 CPU-µs a frame, an eighth of the machine at 20k frames/s).
// Usage: dotnet run scripts/sim-subscriber-meter.cs -- WS_URL [MAX_FRAMES]
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: sim-subscriber-meter WS_URL [MAX_FRAMES]");
    return 2;
}

var url = new Uri(args[0] + "?cursor=0");
var maxFrames = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : long.MaxValue;
var connectDeadline = Stopwatch.StartNew();
var client = new TcpClient { NoDelay = true };
while (true)
{
    try
    {
        await client.ConnectAsync(url.Host, url.Port);
        break;
    }
    catch (SocketException) when (connectDeadline.Elapsed < TimeSpan.FromSeconds(120))
    {
        // The simulator is still starting; retrying a refused connection is all there is to wait on.
        client.Dispose();
        client = new TcpClient { NoDelay = true };
        await Task.Delay(50);
    }
}

var stream = client.GetStream();
var key = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
var request = $"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
    $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
await stream.WriteAsync(Encoding.ASCII.GetBytes(request));

var buffer = new byte[4 * 1024 * 1024];
var filled = 0;
int headerEnd;
while ((headerEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
{
    var n = await stream.ReadAsync(buffer.AsMemory(filled));
    if (n == 0)
    {
        Console.Error.WriteLine("sim-subscriber-meter: the connection closed during the upgrade");
        return 1;
    }

    filled += n;
}

var status = Encoding.ASCII.GetString(buffer, 0, buffer.AsSpan(0, headerEnd).IndexOf("\r\n"u8));
if (!status.Contains(" 101 ", StringComparison.Ordinal))
{
    Console.Error.WriteLine($"sim-subscriber-meter: the upgrade was refused: {status}");
    return 1;
}

var start = headerEnd + 4;
var clock = new Stopwatch();
long frames = 0;
long bytes = 0;
var lastFrameAt = TimeSpan.Zero;
var closed = false;
while (!closed && frames < maxFrames)
{
    // Every complete frame in the buffer: FIN bit and opcode, then a 7-bit length or its 16- or 64-bit extension.
    while (filled - start >= 2)
    {
        var first = buffer[start];
        var lengthCode = buffer[start + 1] & 0x7F;
        var headerLength = lengthCode == 126 ? 4 : lengthCode == 127 ? 10 : 2;
        if (filled - start < headerLength)
        {
            break;
        }

        var payload = lengthCode switch
        {
            126 => BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(start + 2)),
            127 => (long)BinaryPrimitives.ReadUInt64BigEndian(buffer.AsSpan(start + 2)),
            _ => lengthCode,
        };
        if (headerLength + payload > buffer.Length)
        {
            Array.Resize(ref buffer, (int)(headerLength + payload));
        }

        if (filled - start < headerLength + payload)
        {
            break;
        }

        var opcode = first & 0x0F;
        start += headerLength + (int)payload;
        if (opcode == 0x8)
        {
            closed = true;
            break;
        }

        if (opcode is 0x0 or 0x2)
        {
            bytes += payload;
            if ((first & 0x80) != 0)
            {
                if (frames == 0)
                {
                    clock.Start();
                }

                frames++;
                lastFrameAt = clock.Elapsed;
            }
        }
    }

    if (closed || frames >= maxFrames)
    {
        break;
    }

    // Keep the partial frame, read more after it.
    buffer.AsSpan(start, filled - start).CopyTo(buffer);
    filled -= start;
    start = 0;
    var read = await stream.ReadAsync(buffer.AsMemory(filled));
    if (read == 0)
    {
        // The simulator went away at the end of its run: what arrived is the measurement.
        break;
    }

    filled += read;
}

var seconds = lastFrameAt.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"subscriber: {frames} frames, {bytes / 1e6:F1} MB in {seconds:F2} s = {(seconds > 0 ? (frames - 1) / seconds : 0):F0} frames/s (first to last frame)"));
client.Dispose();
return 0;
