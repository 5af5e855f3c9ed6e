using System.Text;
using RecordKv.Nats.JetStream;

namespace RecordKv.Nats.Tests.JetStream;

/// <summary>Unique names, connections and small helpers for the JetStream tests.</summary>
internal static class JetStreamTestSupport
{
    public static string UniqueName(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..12];

    public static Task<NatsConnection> ConnectAsync(string url, CancellationToken cancellationToken) =>
        ConnectAsync([url], cancellationToken);

    public static Task<NatsConnection> ConnectAsync(IReadOnlyList<string> urls, CancellationToken cancellationToken) =>
        NatsConnection.ConnectAsync(
            new NatsOptions
            {
                Servers = urls,
                ReconnectWaitMin = TimeSpan.FromMilliseconds(50),
                ReconnectWaitMax = TimeSpan.FromMilliseconds(500),
            },
            cancellationToken);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(ReadOnlyMemory<byte> data) => Encoding.UTF8.GetString(data.Span);

    public static async Task<StreamInfo> CreateStreamAsync(NatsJetStreamContext js, string name, Func<StreamConfig, StreamConfig>? configure = null, CancellationToken cancellationToken = default)
    {
        var config = new StreamConfig { Name = name, Subjects = [name + ".>"] };
        return await js.CreateStreamAsync(configure is null ? config : configure(config), cancellationToken);
    }

    /// <summary>Collects up to <paramref name="count"/> items of an async sequence, then stops it.</summary>
    public static async Task<List<T>> TakeAsync<T>(IAsyncEnumerable<T> source, int count, CancellationToken cancellationToken)
    {
        var items = new List<T>(count);
        if (count == 0)
        {
            return items;
        }

        await foreach (var item in source.WithCancellation(cancellationToken))
        {
            items.Add(item);
            if (items.Count == count)
            {
                break;
            }
        }

        return items;
    }
}
