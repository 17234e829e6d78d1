#!/bin/sh
echo Script-Plover-8
