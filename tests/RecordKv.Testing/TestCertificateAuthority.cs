using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RecordKv.Testing;

/// <summary>A throwaway certificate authority and a server certificate for 127.0.0.1/localhost, written as PEM files.</summary>
public sealed record TestCertificateAuthority(string CaFile, string ServerCertificateFile, string ServerKeyFile)
{
    /// <summary>Creates the CA and the server certificate in <paramref name="directory"/>.</summary>
    public static TestCertificateAuthority Create(string directory)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=RecordKv Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(12);
        using var server = serverRequest.Create(ca, now.AddMinutes(-5), now.AddDays(1), serial);

        var authority = new TestCertificateAuthority(
            Path.Combine(directory, "ca.pem"),
            Path.Combine(directory, "server-cert.pem"),
            Path.Combine(directory, "server-key.pem"));
        File.WriteAllText(authority.CaFile, ca.ExportCertificatePem());
        File.WriteAllText(authority.ServerCertificateFile, server.ExportCertificatePem());
        File.WriteAllText(authority.ServerKeyFile, serverKey.ExportPkcs8PrivateKeyPem());
        return authority;
    }
}
