namespace Remediation.Cli;

/// <summary>Positional words and <c>--name value</c> options; enough for a handful of commands.</summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positional = [];

    public CliArgs(IEnumerable<string> args)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            if (e.Current.StartsWith("--", StringComparison.Ordinal))
            {
                var name = e.Current[2..];
                var eq = name.IndexOf('=');
                if (eq >= 0) _options[name[..eq]] = name[(eq + 1)..];
                else _options[name] = e.MoveNext() ? e.Current : throw new CliException($"--{name} needs a value");
            }
            else _positional.Add(e.Current);
        }
    }

    public IReadOnlyList<string> Positional => _positional;

    public string? Option(string name) => _options.GetValueOrDefault(name);

    public string Option(string name, string fallback) => _options.GetValueOrDefault(name) ?? fallback;

    public int Int(string name, int fallback) =>
        _options.TryGetValue(name, out var text)
            ? int.TryParse(text, out var value) && value > 0 ? value : throw new CliException($"--{name} must be a positive whole number, not '{text}'")
            : fallback;

    public string Api => Option("api") ?? Environment.GetEnvironmentVariable("REMEDIATION_API") ?? "http://127.0.0.1:5080";

    public string? Token => Option("token") ?? Environment.GetEnvironmentVariable("REMEDIATION_TOKEN");

    // The service's own defaults (RemediationOptions), written out here because the CLI does not reference the service.
    public string RabbitMq => Option("rabbitmq") ?? Environment.GetEnvironmentVariable("REMEDIATION_RABBITMQ") ?? "amqp://guest:guest@127.0.0.1:5672/";

    public string Postgres => Option("postgres") ?? Environment.GetEnvironmentVariable("REMEDIATION_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Username=remediation;Password=remediation;Database=remediation";
}

/// <summary>A usage error: printed without a stack trace, exit code 2.</summary>
public sealed class CliException(string message) : Exception(message);
