using System.Net;
using System.Text;

namespace Remediation.Simulator;

/// <summary>
/// A stand-in for the hardware vendor's ticket system: answers the service's RMA webhook with a ticket id, the same
/// one again for a repeated Idempotency-Key, as a real ticket system must.
/// </summary>
public sealed class SimulatedTicketDesk(int port) : IAsyncDisposable
{
    private readonly HttpListener _listener = new() { Prefixes = { $"http://127.0.0.1:{port}/" } };
    private readonly Dictionary<string, string> _tickets = [];
    private Task? _serving;

    public IReadOnlyCollection<string> Opened => _tickets.Values;

    public void Start()
    {
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            var key = context.Request.Headers["Idempotency-Key"] ?? Guid.NewGuid().ToString();
            string id;
            lock (_tickets)
                if (!_tickets.TryGetValue(key, out id!)) _tickets[key] = id = $"RMA-{4700 + _tickets.Count}";
            var body = Encoding.UTF8.GetBytes($$"""{"id":"{{id}}"}""");
            context.Response.StatusCode = 201;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        if (_serving is not null) await _serving;
    }
}
