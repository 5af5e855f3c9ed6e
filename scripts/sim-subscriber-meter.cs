#:property OutputType=Exe
#:property PublishAot=false

// The subscriber of scripts/bench-sim.sh: one WebSocket client that reads the simulator's firehose as fast as it can
// (from cursor 0, so it misses nothing that was emitted before it connected) and reports how many frames it received
// and at what rate, timed from the first frame to the last. It stops when the simulator closes the stream or after
// MAX_FRAMES frames.
// Usage: dotnet run scripts/sim-subscriber-meter.cs -- WS_URL [MAX_FRAMES]
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: sim-subscriber-meter WS_URL [MAX_FRAMES]");
    return 2;
}

var url = new Uri(args[0] + "?cursor=0");
var maxFrames = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : long.MaxValue;
var connectDeadline = Stopwatch.StartNew();
ClientWebSocket socket;
while (true)
{
    // A failed connect disposes the client: each attempt needs a new one.
    socket = new ClientWebSocket();
    try
    {
        await socket.ConnectAsync(url, CancellationToken.None);
        break;
    }
    catch (WebSocketException) when (connectDeadline.Elapsed < TimeSpan.FromSeconds(120))
    {
        // The simulator is still starting; retrying a refused connection is all there is to wait on.
        socket.Dispose();
        await Task.Delay(50);
    }
}

var buffer = new byte[8 * 1024 * 1024];
var clock = new Stopwatch();
long frames = 0;
long bytes = 0;
var lastFrameAt = TimeSpan.Zero;
try
{
    while (frames < maxFrames)
    {
        var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            break;
        }

        bytes += result.Count;
        if (result.EndOfMessage)
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
catch (WebSocketException)
{
    // The simulator went away at the end of its run: what arrived is the measurement.
}

var seconds = lastFrameAt.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"subscriber: {frames} frames, {bytes / 1e6:F1} MB in {seconds:F2} s = {(seconds > 0 ? (frames - 1) / seconds : 0):F0} frames/s (first to last frame)"));
socket.Dispose();
return 0;
