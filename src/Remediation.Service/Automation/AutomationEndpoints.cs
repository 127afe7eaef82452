using Remediation.Service.Auth;
using static Remediation.Service.Auth.OperatorReason;

namespace Remediation.Service.Automation;

/// <summary>The fleet-wide pause over HTTP: read it with its history, pause with a reason, resume.</summary>
public static class AutomationEndpoints
{
    public static void MapAutomation(this RouteGroupBuilder api)
    {
        api.MapGet("/automation", ReadAutomationAsync);
        api.MapPost("/automation/pause", async (HttpContext http, AutomationSwitch automation, CancellationToken ct) =>
            await ReasonOf(http, ct) is { } reason
                ? Results.Ok(await automation.PauseAsync(BearerTokenFilter.OperatorOf(http), reason, ct))
                : NeedsReason("pausing")).RequireRole(ApiRole.Operator);
        api.MapPost("/automation/resume", async (HttpContext http, AutomationSwitch automation, CancellationToken ct) =>
            Results.Ok(await automation.ResumeAsync(BearerTokenFilter.OperatorOf(http), await ReasonOf(http, ct) ?? "resumed", ct))).RequireRole(ApiRole.Operator);
    }

    private static async Task<IResult> ReadAutomationAsync(AutomationSwitch automation, CancellationToken ct) =>
        Results.Ok(new { control = await automation.ReadAsync(ct), history = await automation.HistoryAsync(ct) });
}
