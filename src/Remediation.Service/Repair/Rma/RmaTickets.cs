using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Remediation.Contracts;

namespace Remediation.Service.Repair.Rma;

/// <summary>Opens RMA tickets by POSTing JSON to a configurable webhook (a ticket system, or a bridge to one).</summary>
public sealed class RmaTickets(HttpClient http, RmaOptions options)
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public async Task<RmaTicket> OpenAsync(RmaRequest request, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(options.WebhookUrl))
            throw new RmaTicketException("Rma:WebhookUrl is not configured; no RMA ticket can be opened");
        using var message = new HttpRequestMessage(HttpMethod.Post, options.WebhookUrl) { Content = JsonContent.Create(Body(request), options: WireJson.Options) };
        message.Headers.Add(IdempotencyHeader, request.CommandId);
        if (!string.IsNullOrEmpty(options.Token)) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, ct);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            throw new RmaTicketException($"the RMA webhook {options.WebhookUrl} could not be reached: {e.Message}", e);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
                throw new RmaTicketException($"the RMA webhook answered {(int)response.StatusCode} {response.ReasonPhrase}: {Clip(text)}");
            return ReadTicket((int)response.StatusCode, text);
        }
    }

    private static object Body(RmaRequest r) => new
    {
        idempotencyKey = r.CommandId,
        node = r.NodeId,
        incidentId = r.IncidentId,
        gpu = new { serial = r.GpuSerial, uuid = r.GpuUuid, pci = r.PciAddress },
        gpus = r.Gpus ?? [],
        bugReport = r.BugReport,
        faultLines = r.FaultLines,
        timeline = r.Timeline,
    };

    private static RmaTicket ReadTicket(int status, string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                var id = Id(json.RootElement, "id") ?? Id(json.RootElement, "ticketId");
                var url = json.RootElement.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
                if (!string.IsNullOrEmpty(id)) return new RmaTicket(id, url);
            }
        }
        catch (JsonException e)
        {
            throw new RmaTicketException($"the RMA webhook answered {status} but not with JSON: {Clip(text)}", e);
        }
        throw new RmaTicketException($"the RMA webhook answered {status} without a ticket id (\"id\" or \"ticketId\"): {Clip(text)}");
    }

    // Ticket systems use both string and numeric ids.
    private static string? Id(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    private static string Clip(string text) => text.Length <= 500 ? text : text[..500] + "…";
}
