#!/bin/sh
# How base.log.gz and new.log.gz were recorded (node 20.20.2; not run by
# the tests): the same script, 'slow' doing 5 times the work in "new".
# --no-log-source-code keeps the logs small.
set -e
node --prof --no-log-source-code work.js 1 && mv isolate-*-v8.log base.log
node --prof --no-log-source-code work.js 5 && mv isolate-*-v8.log new.log
gzip -9 base.log new.log
