#!/bin/sh
# How base.log.gz and new.log.gz were recorded (node 20.20.2, in
# /tmp/diff-shift; not run by the tests): the same script, run again with
# one comment line added at its top, so every function of it is one line
# lower in new.log. --no-log-source-code keeps the logs small.
set -e
node --prof --no-log-source-code app.js && mv isolate-*-v8.log base.log
cp app.js app-base.js
{ echo '// the line added'; cat app-base.js; } >app.js
node --prof --no-log-source-code app.js && mv isolate-*-v8.log new.log
mv app-base.js app.js
gzip -9 base.log new.log
