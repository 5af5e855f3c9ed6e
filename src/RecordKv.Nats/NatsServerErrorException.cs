namespace RecordKv.Nats;

/// <summary>The server answered with <c>-ERR</c>, e.g. 'Authorization Violation' or a permissions violation.</summary>
public sealed class NatsServerErrorException : NatsException
{
    /// <summary>Creates the exception from the server's error text.</summary>
    public NatsServerErrorException(string serverMessage, string? serverUrl = null)
        : base(serverUrl is null ? $"The NATS server reported an error: '{serverMessage}'." : $"The NATS server {serverUrl} reported an error: '{serverMessage}'.")
    {
        ServerMessage = serverMessage;
        ServerUrl = serverUrl;
    }

    /// <summary>The text of the <c>-ERR</c> line without its quotes.</summary>
    public string ServerMessage { get; }

    /// <summary>The server that sent the error, when known.</summary>
    public string? ServerUrl { get; }

    /// <summary>Whether the server refused the credentials (user/password, token or certificate).</summary>
    public bool IsAuthorizationError =>
        ServerMessage.Contains("Authorization Violation", StringComparison.OrdinalIgnoreCase)
        || ServerMessage.Contains("Authentication", StringComparison.OrdinalIgnoreCase)
        || ServerMessage.Contains("User Authentication Expired", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the error is a permissions violation, which the server reports without closing the connection.</summary>
    public bool IsPermissionsViolation => ServerMessage.StartsWith("Permissions Violation", StringComparison.OrdinalIgnoreCase);
}
