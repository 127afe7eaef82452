# One image for the service and the CLI (whose `simulate` is the compose file's fake fleet).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Remediation.Service -c Release -o /app/service \
 && dotnet publish src/Remediation.Cli -c Release -o /app/cli

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app /app
COPY runbooks /app/runbooks
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    Runbooks__Directory=/app/runbooks
EXPOSE 8080
ENTRYPOINT ["dotnet", "/app/service/Remediation.Service.dll"]
