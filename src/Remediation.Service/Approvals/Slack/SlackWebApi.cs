using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Remediation.Service.Approvals.Slack;

/// <summary>The three calls the approvals need, over plain HTTP: chat.postMessage, chat.update and a response_url reply.</summary>
public sealed class SlackWebApi(IHttpClientFactory clients, SlackOptions options)
{
    public const string ClientName = "slack";

    /// <returns>Where the message landed: Slack answers with the channel id even when given a channel name.</returns>
    public async Task<SlackMessageRef> PostMessageAsync(string channel, string text, JsonArray blocks, CancellationToken ct)
    {
        var reply = await CallAsync("chat.postMessage", new JsonObject { ["channel"] = channel, ["text"] = text, ["blocks"] = blocks }, ct);
        return new SlackMessageRef(
            reply["channel"]?.GetValue<string>() ?? channel,
            reply["ts"]?.GetValue<string>() ?? throw new SlackApiException("chat.postMessage", "the reply has no ts"));
    }

    public async Task UpdateAsync(SlackMessageRef message, string text, JsonArray blocks, CancellationToken ct) =>
        await CallAsync("chat.update", new JsonObject
        {
            ["channel"] = message.Channel, ["ts"] = message.Ts, ["text"] = text, ["blocks"] = blocks,
        }, ct);

    /// <summary>Answers only the person who clicked, leaving the approval message as it is.</summary>
    public async Task RespondEphemeralAsync(Uri responseUrl, string text, CancellationToken ct)
    {
        var body = new JsonObject { ["response_type"] = "ephemeral", ["replace_original"] = false, ["text"] = text };
        // No bot token here: response_url carries its own authority, and the token must not travel to a URL from a payload.
        using var response = await clients.CreateClient(ClientName).PostAsJsonAsync(responseUrl, body, ct);
        if (!response.IsSuccessStatusCode)
            throw new SlackApiException("response_url", $"HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    private async Task<JsonObject> CallAsync(string method, JsonObject body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.ApiBaseUrl, method)) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.BotToken);
        using var response = await clients.CreateClient(ClientName).SendAsync(request, ct);
        if (!response.IsSuccessStatusCode) throw new SlackApiException(method, $"HTTP {(int)response.StatusCode}");
        // Slack reports failures as 200 with "ok": false and a short error code such as "channel_not_found".
        var reply = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
        if (reply?["ok"]?.GetValue<bool>() is true) return reply;
        throw new SlackApiException(method, reply?["error"]?.GetValue<string>() ?? "the reply has no ok field");
    }
}

public sealed record SlackMessageRef(string Channel, string Ts);

public sealed class SlackApiException(string method, string error) : Exception($"Slack {method} failed: {error}")
{
    public string Method { get; } = method;
    public string Error { get; } = error;
}
