using System.Globalization;

namespace RecordKv.Testing;

/// <summary>Three nats-server nodes on loopback joined by routes, each with JetStream, its own name and store.</summary>
public sealed class NatsCluster : IAsyncDisposable
{
    private readonly NatsServerProcess[] _nodes;

    private NatsCluster(NatsServerProcess[] nodes) => _nodes = nodes;

    /// <summary>The nodes, in start order.</summary>
    public IReadOnlyList<NatsServerProcess> Nodes => _nodes;

    /// <summary>Every node's client URL.</summary>
    public IReadOnlyList<string> Urls => Array.ConvertAll(_nodes, node => node.Url);

    /// <summary>Starts a cluster of <paramref name="size"/> nodes and waits until each accepts clients.</summary>
    public static async Task<NatsCluster> StartAsync(int size = 3, Func<int, NatsServerProcessOptions, NatsServerProcessOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var clusterName = "recordkv-" + Guid.NewGuid().ToString("N")[..6];
        var routePorts = new int[size];
        for (var i = 0; i < size; i++)
        {
            routePorts[i] = NatsServerProcess.FreePort();
        }

        var nodes = new NatsServerProcess[size];
        try
        {
            for (var i = 0; i < size; i++)
            {
                var options = new NatsServerProcessOptions
                {
                    ServerName = string.Create(CultureInfo.InvariantCulture, $"{clusterName}-n{i + 1}"),
                    ClusterName = clusterName,
                    ClusterPort = routePorts[i],
                    RoutePorts = [.. routePorts.Where((_, index) => index != i)],
                };
                nodes[i] = NatsServerProcess.Create(configure is null ? options : configure(i, options));
            }

            await Task.WhenAll(nodes.Select(node => node.StartProcessAsync(cancellationToken))).ConfigureAwait(false);
            return new NatsCluster(nodes);
        }
        catch
        {
            foreach (var node in nodes)
            {
                if (node is not null)
                {
                    await node.DisposeAsync().ConfigureAwait(false);
                }
            }

            throw;
        }
    }

    /// <summary>Kills node <paramref name="index"/> (SIGKILL).</summary>
    public Task KillNodeAsync(int index, CancellationToken cancellationToken = default) => _nodes[index].KillAsync(cancellationToken);

    /// <summary>Starts a killed or stopped node again with its port and store.</summary>
    public Task StartNodeAsync(int index, CancellationToken cancellationToken = default) => _nodes[index].StartProcessAsync(cancellationToken);

    /// <summary>Kills every node and deletes their directories.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }
}
