namespace Remediation.Tests.Cluster;

public static class AlertFixtures
{
    public static string Path(string name) => System.IO.Path.Combine(Repo.Root, "tests", "Remediation.Tests", "Cluster", "Fixtures", name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path(name));

    public static string Text(string name) => File.ReadAllText(Path(name));
}
