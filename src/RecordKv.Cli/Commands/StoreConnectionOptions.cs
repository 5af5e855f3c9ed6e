using System.CommandLine;
using RecordKv.Client;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;

namespace RecordKv.Cli.Commands;

/// <summary>The options every store verb takes: the NATS server and credentials (flags or environment), the bucket names.</summary>
internal sealed class StoreConnectionOptions
{
    private readonly Option<string> _server = new("--server", "-s")
    {
        Description = "NATS server URL (environment RECORDKV_SERVER or NATS_URL).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("RECORDKV_SERVER") ?? Environment.GetEnvironmentVariable("NATS_URL") ?? "nats://127.0.0.1:4222",
    };

    private readonly Option<string?> _user = new("--user") { Description = "NATS user (environment NATS_USER).", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NATS_USER") };
    private readonly Option<string?> _password = new("--password") { Description = "NATS password (environment NATS_PASSWORD).", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NATS_PASSWORD") };
    private readonly Option<string?> _token = new("--token") { Description = "NATS token (environment NATS_TOKEN).", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NATS_TOKEN") };
    private readonly Option<string> _recordBucket = new("--record-bucket") { Description = "The record bucket.", DefaultValueFactory = _ => "record" };
    private readonly Option<string> _controlBucket = new("--control-bucket") { Description = "The control bucket.", DefaultValueFactory = _ => "recordkv" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public Command AddTo(Command command)
    {
        command.Options.Add(_server);
        command.Options.Add(_user);
        command.Options.Add(_password);
        command.Options.Add(_token);
        command.Options.Add(_recordBucket);
        command.Options.Add(_controlBucket);
        return command;
    }

    /// <summary>The server URL given.</summary>
    public string Server(ParseResult parseResult) => parseResult.GetValue(_server)!;

    /// <summary>The client options for this command line.</summary>
    public RecordKvClientOptions ClientOptions(ParseResult parseResult) => new()
    {
        Servers = [Server(parseResult)],
        User = parseResult.GetValue(_user),
        Password = parseResult.GetValue(_password),
        Token = parseResult.GetValue(_token),
        RecordBucket = parseResult.GetValue(_recordBucket)!,
        ControlBucket = parseResult.GetValue(_controlBucket)!,
    };

    /// <summary>Connects, failing fast (no reconnect loop) with a one-line error when the server cannot be reached.</summary>
    public async Task<NatsConnection> ConnectAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var client = ClientOptions(parseResult);
        try
        {
            return await NatsConnection.ConnectAsync(
                new NatsOptions
                {
                    Servers = client.Servers,
                    User = client.User,
                    Password = client.Password,
                    Token = client.Token,
                    Name = "recordkv-cli",
                    ConnectTimeout = TimeSpan.FromSeconds(3),
                    MaxReconnectAttempts = 0,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (NatsException e)
        {
            throw new CliException($"cannot reach NATS at {Server(parseResult)}: {e.Message} (start it with ./run.sh, or name another with --server)", e);
        }
    }

    /// <summary>Runs <paramref name="body"/>, turning NATS and store failures into one-line CLI errors.</summary>
    public static async Task<int> GuardAsync(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (RecordKvClientException e)
        {
            throw new CliException(e.Message, e);
        }
        catch (NatsJetStreamNotFoundException e)
        {
            throw new CliException($"not found: {e.Message} (is the RecordKv stack running? ./run.sh creates the buckets)", e);
        }
        catch (NatsTimeoutException e)
        {
            throw new CliException($"NATS did not answer in time: {e.Message}", e);
        }
        catch (NatsException e)
        {
            throw new CliException($"NATS: {e.Message}", e);
        }
        catch (Contracts.KeyFormatException e)
        {
            throw new CliException(e.Message, e);
        }
    }
}
