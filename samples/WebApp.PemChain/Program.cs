var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/", () => "Hello over TLS");
app.Run();
