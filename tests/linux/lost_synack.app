# lost_synack: Linux 6.18.44-fc-v782, RTT 20 ms (10 ms each way), no timestamps/SACK/wscale
# application calls, time relative to the first segment at host A;
# '-> result' is what the call returned (on a line of its own when the call took >5 ms)
-1.337755 B listen 80 -> ok
-1.337395 B accept
-0.000156 A connect 10.0.0.2:80
1.021898 A connect 10.0.0.2:80 -> ok
1.032119 B accept -> 10.0.0.1:40000
1.032245 B recv
1.122684 A close -> ok
1.135370 B recv -> 0 (EOF)
1.235713 B close -> ok
