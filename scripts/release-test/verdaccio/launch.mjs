// Runs Verdaccio from a config file on 127.0.0.1 at a port the OS picks, prints {"port":N} once it
// listens, and exits as soon as its parent closes our stdin: a crashed or killed test run can
// never leave a registry behind.
import process from 'node:process';
import verdaccio from 'verdaccio';

process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();

verdaccio.runServer(process.argv[2]).then(
  (app) => {
    const server = app.listen(0, '127.0.0.1', () => {
      process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
    });
  },
  (error) => {
    process.stderr.write(`${String(error?.stack ?? error)}\n`);
    process.exit(1);
  },
);
